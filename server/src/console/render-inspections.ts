import type { InspectionStatus, SpotCondition } from '../../../packages/contract/inspection'
import type { StoreInput } from '../../../packages/contract/promotion'
import { FAR_FROM_STORE_METERS, type CodeComparison } from '../../../packages/contract/rules/inspection'
import type { InspectionListRow, InspectionResult, InspectionTaskRow } from '../repo/inspections'
import type { PaymentVerificationRow } from '../repo/payment-verifications'
import type { PromotionListRow, SpotRow } from '../repo/promotions'
import type { StaffWithIsoRow } from '../repo/staff'
import { riskReasonText, type RiskReason } from '../services/inspection-risk'
import { page, postForm, type Viewer } from './layout'
import { html, type SafeHtml } from './html'
import { when } from './render'
import { MATERIAL_LABELS, photoUrl, POSITION_LABELS, PRODUCT_LABELS, verificationTable } from './render-promotions'
import { photoCheckNote } from './render-photo-checks'
import type { PhotoCheckRow } from '../repo/photo-checks'

export const INSPECTION_STATUS_LABELS: Record<InspectionStatus, string> = {
  TO_DO: 'To do',
  IN_PROGRESS: 'In progress',
  SUBMITTED: 'Submitted',
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
}

const CONDITION_LABELS: Record<SpotCondition, string> = {
  PRESENT: 'Present and securely posted',
  MISSING: 'Missing',
  DAMAGED: 'Damaged',
  MOVED: 'Moved',
}

const COMPARISON_LABELS: Record<CodeComparison, string> = {
  MATCH: 'Match',
  MISMATCH: 'Mismatch',
  NOT_A_CODE: 'Not a Marketing Code',
  NOT_SCANNED: 'Not scanned',
}

/** The status class the console's style colours (accepted like approved). */
const statusClass = (s: InspectionStatus) => `status-${s === 'ACCEPTED' ? 'APPROVED' : s}`

export const inspectionUrl = (id: string) => `/console/inspections/${encodeURIComponent(id)}`

export interface AssignFormState {
  promotionId: string
  staffId: string
  dueDate: string
  error: string | null
}

/** An approved promotion proposed for inspection, with the reasons of its risk (services/inspection-risk.ts). */
export interface RiskProposal {
  promotion: PromotionListRow
  score: number
  reasons: RiskReason[]
}

export interface InspectionListModel {
  notice: string | null
  /** Approved promotions without an open task, riskiest first. */
  proposals: RiskProposal[]
  /** APPROVED promotions (any ISO). */
  promotions: PromotionListRow[]
  /** Associated staff members. */
  staff: StaffWithIsoRow[]
  tasks: InspectionListRow[]
  form: AssignFormState
  /** Default due date (YYYY-MM-DD). */
  defaultDue: string
}

export interface InspectionDetailModel {
  /** Who decided what on this inspection (the audit trail). */
  history?: SafeHtml
  task: InspectionTaskRow
  store: StoreInput
  product: keyof typeof PRODUCT_LABELS
  staffName: string
  isoName: string
  spots: SpotRow[]
  result: InspectionResult | null
  verifications: PaymentVerificationRow[]
  notice: string | null
  /** A refused "Reject inspection" (no reason). */
  rejectError?: { message: string; reason: string }
  /** Issue 26: the checks of the inspection's photos (quality, kept anyway, the code in a spot photo), by upload id. */
  photoChecks?: ReadonlyMap<string, PhotoCheckRow>
}

function proposalTable(proposals: RiskProposal[]): SafeHtml {
  return html`<section aria-labelledby="proposals-heading">
  <h2 id="proposals-heading">Proposed by risk</h2>
  <p class="muted">Approved promotions without an open inspection, riskiest first: staff members with many rejections, deployments approved long ago and never inspected, weak evidence at review, payments only a reviewer checked. Each names its reasons; "Assign" chooses it in the form below.</p>
  ${
    proposals.length === 0
      ? html`<p class="muted">No approved promotion awaits an inspection.</p>`
      : html`<table>
<caption class="sr-only">Promotions proposed for inspection</caption>
<thead><tr><th scope="col">Store</th><th scope="col">Staff</th><th scope="col">ISO</th><th scope="col">Why</th><th scope="col">Score</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead>
<tbody>
${proposals.map((p) => {
  const store = JSON.parse(p.promotion.store_json) as StoreInput
  return html`<tr data-proposal="${p.promotion.id}" data-score="${String(p.score)}">
  <td>${store.name}</td><td>${p.promotion.staff_name}</td><td>${p.promotion.iso_name}</td>
  <td><ul class="reasons">${p.reasons.map((r) => html`<li data-reason="${r.kind}">${riskReasonText(r)}</li>`)}</ul></td>
  <td>${String(p.score)}</td>
  <td><a href="/console/inspections?promotionId=${encodeURIComponent(p.promotion.id)}#assign-heading">Assign</a></td>
</tr>`
})}
</tbody>
</table>`
  }
</section>`
}

function assignForm(viewer: Viewer, model: InspectionListModel): SafeHtml {
  const { form } = model
  const invalid = form.error ? html` aria-invalid="true" aria-describedby="assign-error"` : ''
  return html`<section aria-labelledby="assign-heading">
  <h2 id="assign-heading">Assign inspection</h2>
  <p class="muted">Choose an approved promotion and a staff member of its ISO: the staff member finds the Verification Task in the app.</p>
  ${form.error ? html`<p class="error" role="alert" id="assign-error">${form.error}</p>` : ''}
  ${postForm(
    viewer,
    '/console/inspections',
    html`
    <label for="inspection-promotion">Promotion</label>
    <select id="inspection-promotion" name="promotionId" required${invalid}>
      <option value="">Choose an approved promotion</option>
      ${model.promotions.map((p) => {
        const store = JSON.parse(p.store_json) as StoreInput
        return html`<option value="${p.id}"${form.promotionId === p.id ? html` selected` : ''}>${store.name} — ${p.iso_name} (${PRODUCT_LABELS[p.product]}, promoted by ${p.staff_name})</option>`
      })}
    </select>
    <label for="inspection-staff">Staff member</label>
    <select id="inspection-staff" name="staffId" required${invalid}>
      <option value="">Choose a staff member</option>
      ${model.staff.map((s) => html`<option value="${s.id}"${form.staffId === s.id ? html` selected` : ''}>${s.name} — ${s.iso_name ?? 'no ISO'}</option>`)}
    </select>
    <label for="inspection-due">Due date</label>
    <input type="date" id="inspection-due" name="dueDate" required value="${form.dueDate || model.defaultDue}"${invalid}>
    <p><button type="submit">Assign</button></p>
  `,
  )}
</section>`
}

function taskTable(tasks: InspectionListRow[]): SafeHtml {
  if (tasks.length === 0) return html`<p class="muted">No inspections assigned yet.</p>`
  return html`<table>
<caption class="sr-only">Inspection tasks</caption>
<thead><tr><th scope="col">Store</th><th scope="col">Staff</th><th scope="col">ISO</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Submitted</th></tr></thead>
<tbody>
${tasks.map((t) => {
  const store = JSON.parse(t.store_json) as StoreInput
  const hasResult = t.result_json !== null
  return html`<tr data-task-id="${t.id}" data-status="${t.status}">
  <td>${hasResult ? html`<a href="${inspectionUrl(t.id)}">${store.name}</a>` : store.name}<br><span class="muted">${store.address}</span></td>
  <td>${t.staff_name}</td>
  <td>${t.iso_name}</td>
  <td>${t.due_date}</td>
  <td class="${statusClass(t.status)}">${INSPECTION_STATUS_LABELS[t.status]}</td>
  <td>${when(t.submitted_at)}</td>
</tr>`
})}
</tbody>
</table>`
}

export function renderInspectionListPage(viewer: Viewer, model: InspectionListModel): string {
  return page({
    title: 'Spot inspections · ISO platform console',
    viewer,
    body: html`${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : ''}
${proposalTable(model.proposals)}
${assignForm(viewer, model)}
<section aria-labelledby="inspections-heading">
  <h2 id="inspections-heading">Inspection tasks</h2>
  <p class="muted">Submitted inspections await your decision (oldest first), then open tasks by due date, then decided ones.</p>
  ${taskTable(model.tasks)}
</section>`,
    nav: 'inspections',
  })
}

const yesNo = (b: boolean) => (b ? 'Yes' : html`<strong class="error">No</strong>`)

function storeCheck(model: InspectionDetailModel): SafeHtml {
  const r = model.result
  if (!r) return html`<p class="muted">The staff member has not submitted the inspection yet.</p>`
  const s = r.store
  return html`<dl>
    <dt>Store open</dt><dd data-store-open="${String(s.open)}">${yesNo(s.open)}</dd>
    <dt>Same store</dt><dd data-same-store="${String(s.sameStore)}">${yesNo(s.sameStore)}</dd>
    <dt>Distance</dt><dd data-distance="${s.distanceMeters ?? ''}">${
      s.distanceMeters === null
        ? html`<span class="muted">No location from the device</span>`
        : html`${s.distanceMeters} m from the recorded location${
            s.farFromStore ? html` <strong class="error" data-far="true">far from the recorded location (over ${FAR_FROM_STORE_METERS} m)</strong>` : ''
          }${s.location?.mocked ? html` <strong class="error">reported as a mock location</strong>` : ''}`
    }</dd>
    <dt>Feedback</dt><dd>${s.feedback || html`<span class="muted">—</span>`}</dd>
  </dl>
  <img class="photo" src="${photoUrl(s.storefrontPhotoId)}" alt="Storefront at inspection">
  ${photoCheckNote(model.photoChecks?.get(s.storefrontPhotoId), null)}`
}

function spotArticle(spot: SpotRow, result: InspectionResult['spots'][number] | undefined, checks?: ReadonlyMap<string, PhotoCheckRow>): SafeHtml {
  const what = spot.marketing_code
    ? html`Marketing Code <code>${spot.marketing_code}</code>`
    : html`Material: ${spot.material_type ? MATERIAL_LABELS[spot.material_type] : '—'}`
  return html`<article class="spot" data-spot-index="${spot.idx}" aria-labelledby="spot-${spot.idx}-heading">
    <h3 id="spot-${spot.idx}-heading">Spot ${spot.idx + 1}: ${POSITION_LABELS[spot.position] ?? spot.position}${spot.position_note ? ` (${spot.position_note})` : ''}</h3>
    <p>${what}</p>
    ${
      result
        ? html`<dl>
      <dt>Condition</dt><dd data-condition="${result.condition}" class="${result.condition === 'PRESENT' ? 'status-APPROVED' : 'status-REJECTED'}">${CONDITION_LABELS[result.condition]}</dd>
      ${
        result.boundCode
          ? html`<dt>Code</dt><dd data-code-comparison="${result.codeComparison ?? ''}">bound <code>${result.boundCode}</code>, scanned ${
              result.scannedCode ? html`<code>${result.scannedCode}</code>` : html`<span class="muted">nothing</span>`
            }: <span class="${result.codeComparison === 'MATCH' ? 'status-APPROVED' : 'status-REJECTED'}">${COMPARISON_LABELS[result.codeComparison ?? 'NOT_SCANNED']}</span></dd>`
          : ''
      }
      <dt>Feedback</dt><dd>${result.feedback || html`<span class="muted">—</span>`}</dd>
    </dl>
    <img class="photo" src="${photoUrl(result.photoId)}" alt="Spot ${spot.idx + 1} at inspection">
    ${photoCheckNote(checks?.get(result.photoId), result.scannedCode ?? null)}`
        : html`<p class="muted">No result.</p>`
    }
  </article>`
}

function decisionForms(viewer: Viewer, model: InspectionDetailModel): SafeHtml {
  const base = inspectionUrl(model.task.id)
  const failed = model.rejectError
  return html`<div class="decisions">
  ${postForm(
    viewer,
    `${base}/accept`,
    html`
    <button type="submit">Accept inspection</button>
  `,
  )}
  ${postForm(
    viewer,
    `${base}/reject`,
    html`
    <label for="inspection-reason">Reason</label>
    <textarea id="inspection-reason" name="reason" rows="2" maxlength="500" aria-required="true"${
      failed ? html` aria-invalid="true" aria-describedby="inspection-reason-error"` : ''
    }>${failed?.reason ?? ''}</textarea>
    ${failed ? html`<p class="error" id="inspection-reason-error">${failed.message}</p>` : ''}
    <button type="submit" class="secondary">Reject inspection</button>
  `,
  )}
</div>`
}

export function renderInspectionDetailPage(viewer: Viewer, model: InspectionDetailModel): string {
  const { task: t, store, result } = model
  const bySpot = new Map((result?.spots ?? []).map((s) => [s.index, s]))
  return page({
    title: `${store.name} · Spot inspection · ISO platform console`,
    viewer,
    body: html`${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : ''}
${model.rejectError ? html`<p class="error" role="alert">The inspection was not rejected: <a href="#inspection-reason">${model.rejectError.message}</a></p>` : ''}
<section aria-labelledby="inspection-title" data-task-id="${t.id}">
  <h2 id="inspection-title">${store.name}</h2>
  <dl>
    <dt>Status</dt><dd class="${statusClass(t.status)}" data-inspection-status="${t.status}">${INSPECTION_STATUS_LABELS[t.status]}</dd>
    <dt>Address</dt><dd>${store.address}</dd>
    <dt>Product</dt><dd>${PRODUCT_LABELS[model.product]}</dd>
    <dt>Inspector</dt><dd>${model.staffName}</dd>
    <dt>ISO</dt><dd>${model.isoName}</dd>
    <dt>Due</dt><dd>${t.due_date}</dd>
    <dt>Assigned</dt><dd>${when(t.assigned_at)}</dd>
    <dt>Submitted</dt><dd>${when(t.submitted_at)}</dd>
    ${t.decided_at ? html`<dt>Decided</dt><dd>${when(t.decided_at)}${t.reviewer_reason ? html` — reason: ${t.reviewer_reason}` : ''}</dd>` : ''}
  </dl>
  <p><a href="/console/promotions/${encodeURIComponent(t.promotion_id)}">The promotion</a> · <a href="/console/inspections">Back to spot inspections</a></p>
  ${t.status === 'SUBMITTED' ? decisionForms(viewer, model) : ''}
</section>
<section aria-labelledby="store-check-heading">
  <h2 id="store-check-heading">Store check</h2>
  ${storeCheck(model)}
</section>
<section aria-labelledby="spots-heading">
  <h2 id="spots-heading">Spots (${model.spots.length})</h2>
  ${model.spots.map((s) => spotArticle(s, bySpot.get(s.idx), model.photoChecks))}
</section>
<section aria-labelledby="payment-heading">
  <h2 id="payment-heading">Payment verification</h2>
  ${verificationTable(viewer, model.verifications)}
</section>
${model.history ?? ''}`,
    nav: 'inspections',
  })
}
