import type { DeploymentMethod } from '../../../packages/contract/api'
import { toAgreementView } from '../../../packages/contract/rules/method-agreement'
import type { AssociationRequestRow } from '../repo/association-requests'
import { agreementOf, type IsoRow } from '../repo/isos'
import type { StaffWithIsoRow } from '../repo/staff'
import { formatPhone, when } from './format'
import { SPOT_LIMIT_RANGE } from '../services/iso-profile'
import { page, postForm, type Viewer } from './layout'
import { html, type SafeHtml } from './html'
import { orgInvitationsSection, orgInvitationStatus, phoneCheckNote } from './render-org-invitations'
import type { OrgInvitationRow } from '../repo/org-invitations'

export const DEPLOYMENT_METHOD_LABELS: Record<DeploymentMethod, string> = {
  VERIFY_THEN_DEPLOY: 'Verify-Then-Deploy',
  DEPLOY_THEN_VERIFY: 'Deploy-Then-Verify',
}

/** A short description of an agreement, for the ISO table of the console's home. */
export function agreementSummary(iso: IsoRow): SafeHtml {
  const view = toAgreementView(agreementOf(iso))
  const inForce = view.agreed ? html`${DEPLOYMENT_METHOD_LABELS[view.agreed]} (agreed)` : html`<strong>No method agreed: promotions are refused</strong>`
  const pending = view.status === 'PROPOSED' && view.proposal ? html` · proposed: ${DEPLOYMENT_METHOD_LABELS[view.proposal]}` : ''
  const declined = view.status === 'DECLINED' && view.proposal ? html` · ${DEPLOYMENT_METHOD_LABELS[view.proposal]} declined` : ''
  return html`<span data-method-status="${view.status}">${inForce}${pending}${declined}</span> · <a href="/console/method#iso-${iso.id}">Agreement</a>`
}

export interface RejectFormError {
  requestId: string
  message: string
  /** What was typed, so that it is not lost. */
  reason: string
}

export interface IsoView {
  row: IsoRow
  /** The viewer may set the spot limit (a coordinator of its region, an administrator); the method is agreed at /console/method. */
  editSettings: boolean
  /** The viewer may set the DingTalk department (an administrator). */
  editDepartment: boolean
}

/** The console's home: each section only when the viewer's role may see it (null: not shown). */
export interface ConsolePageModel {
  notice: string | null
  pending: AssociationRequestRow[] | null
  decided: AssociationRequestRow[] | null
  /** Who decided each decided request (from the audit trail). */
  decidedBy: Record<string, string>
  staff: StaffWithIsoRow[] | null
  isos: IsoView[]
  rejectError?: RejectFormError
  /** The Org invitations of the account's ISOs (null: the account does not review association requests). */
  orgInvitations?: OrgInvitationRow[] | null
  /** The viewer onboards and edits ISOs (an administrator): a link to /console/isos. */
  canOnboard?: boolean
}

/** The smallest and largest spot limit an ISO can be given (the ISO profile's rule). */
export { SPOT_LIMIT_RANGE } from '../services/iso-profile'

// the console's dates and phone numbers (format.ts; here too for the pages that import them from render)
export { formatPhone, when } from './format'

function reviewRow(viewer: Viewer, r: AssociationRequestRow, error: RejectFormError | undefined): SafeHtml {
  const reasonId = `reason-${r.id}`
  const errorId = `reason-error-${r.id}`
  const failed = error?.requestId === r.id ? error : undefined
  return html`<tr data-request-id="${r.id}">
  <td>${r.name}</td>
  <td>${formatPhone(r.phone_e164)}${phoneCheckNote(r)}</td>
  <td>${r.iso_name ?? html`<span class="muted">unknown ISO</span>`}</td>
  <td>${r.iso_email}</td>
  <td>${when(r.created_at)}</td>
  <td>
    ${postForm(
      viewer,
      `/console/requests/${encodeURIComponent(r.id)}/approve`,
      html`
      <button type="submit">Approve</button>
    `,
    )}
    ${postForm(
      viewer,
      `/console/requests/${encodeURIComponent(r.id)}/reject`,
      html`
      <label for="${reasonId}">Reason</label>
      <textarea id="${reasonId}" name="reason" rows="2" maxlength="500" aria-required="true"${
        failed ? html` aria-invalid="true" aria-describedby="${errorId}"` : ''
      }>${failed?.reason ?? ''}</textarea>
      ${failed ? html`<p class="error" id="${errorId}">${failed.message}</p>` : ''}
      <button type="submit" class="secondary">Reject</button>
    `,
    )}
  </td>
</tr>`
}

function reviewList(viewer: Viewer, pending: AssociationRequestRow[], rejectError: RejectFormError | undefined): SafeHtml {
  if (pending.length === 0) return html`<p class="muted">No association requests await review.</p>`
  return html`<table>
<caption class="sr-only">Pending association requests</caption>
<thead><tr><th scope="col">Staff name</th><th scope="col">Phone</th><th scope="col">ISO</th><th scope="col">ISO email entered</th><th scope="col">Requested</th><th scope="col">Decision</th></tr></thead>
<tbody>
${pending.map((r) => reviewRow(viewer, r, rejectError))}
</tbody>
</table>`
}

function recentDecisions(rows: AssociationRequestRow[], decidedBy: Record<string, string>, invitations: OrgInvitationRow[]): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">No decisions yet.</p>`
  return html`<table>
<caption class="sr-only">Recently decided association requests</caption>
<thead><tr><th scope="col">Staff name</th><th scope="col">ISO</th><th scope="col">Decision</th><th scope="col">Reason</th><th scope="col">Decided</th><th scope="col">Decided by</th><th scope="col">Org invitation</th></tr></thead>
<tbody>
${rows.map(
  (r) => html`<tr data-decision-id="${r.id}">
  <td>${r.name}</td>
  <td>${r.iso_name ?? r.iso_email}</td>
  <td>${r.status === 'approved' ? 'Approved' : 'Rejected'}</td>
  <td>${r.reason ?? html`<span class="muted">—</span>`}</td>
  <td>${when(r.decided_at)}</td>
  <td>${decidedBy[r.id] ?? html`<span class="muted">not recorded</span>`}</td>
  <td>${r.status === 'approved' ? orgInvitationStatus(invitations.find((i) => i.request_id === r.id)) : html`<span class="muted">—</span>`}</td>
</tr>`,
)}
</tbody>
</table>`
}

function staffDetails(rows: StaffWithIsoRow[]): SafeHtml {
  return html`<table>
<caption class="sr-only">Staff members</caption>
<thead><tr><th scope="col">Name</th><th scope="col">DingTalk user</th><th scope="col">Phone</th><th scope="col">ISO</th><th scope="col">Association status</th><th scope="col">Alipay test account</th></tr></thead>
<tbody>
${rows.map(
  (s) => html`<tr data-staff-id="${s.id}">
  <td>${s.name}</td>
  <td>${s.dingtalk_user_id ?? html`<span class="muted">—</span>`}</td>
  <td>${s.phone_e164 ? formatPhone(s.phone_e164) : html`<span class="muted">not shared by DingTalk</span>`}</td>
  <td>${s.iso_name ?? html`<span class="muted">—</span>`}</td>
  <td>${s.association_status}</td>
  <td>${
    s.test_account_email
      ? html`${s.test_account_email}<br><span class="muted">password ${s.test_account_has_password ? 'set' : 'not set'} · ${when(s.test_account_updated_at)} by ${s.test_account_updated_by}</span>`
      : html`<span class="muted">none assigned</span>`
  }<br><a href="/console/staff/${encodeURIComponent(s.id)}/test-account">${s.test_account_email ? 'Change or withdraw' : 'Assign'}<span class="sr-only"> the test account of ${s.name}</span></a></td>
</tr>`,
)}
</tbody>
</table>`
}

function isoTable(viewer: Viewer, views: IsoView[]): SafeHtml {
  if (views.length === 0) return html`<p class="muted">No ISO is in your scope.</p>`
  return html`<table>
<caption class="sr-only">ISOs</caption>
<thead><tr><th scope="col">ISO</th><th scope="col">Email</th><th scope="col">Region</th><th scope="col">Deployment method</th><th scope="col">Spot limit</th><th scope="col">DingTalk department</th><th scope="col">Association QR code</th><th scope="col">History</th></tr></thead>
<tbody>
${views.map(({ row: iso, editSettings, editDepartment }) => {
  const limitId = `limit-${iso.id}`
  const deptId = `dept-${iso.id}`
  return html`<tr data-iso-id="${iso.id}">
  <td>${iso.name}</td>
  <td>${iso.email}</td>
  <td>${iso.region}</td>
  <td>${agreementSummary(iso)}</td>
  <td>${
    editSettings
      ? html`${postForm(
          viewer,
          `/console/isos/${encodeURIComponent(iso.id)}/spot-limit`,
          html`
      <label for="${limitId}">Spots per store</label>
      <input id="${limitId}" name="maxSpotsPerStore" type="number" inputmode="numeric" min="${SPOT_LIMIT_RANGE.min}" max="${SPOT_LIMIT_RANGE.max}" value="${iso.max_spots_per_store}">
      <button type="submit">Save</button>
    `,
        )}`
      : html`at most ${iso.max_spots_per_store} spots per store`
  }</td>
  <td>${
    editDepartment
      ? html`${postForm(
          viewer,
          `/console/isos/${encodeURIComponent(iso.id)}/dingtalk-department`,
          html`
      <label for="${deptId}" class="sr-only">DingTalk department ID of ${iso.name}</label>
      <input id="${deptId}" name="dingtalkDeptId" inputmode="numeric" pattern="[0-9]*" maxlength="18" size="10" value="${iso.dingtalk_dept_id ?? ''}">
      <button type="submit">Save</button>
    `,
        )}`
      : (iso.dingtalk_dept_id ?? html`<span class="muted">not set</span>`)
  }</td>
  <td><a href="/console/isos/${encodeURIComponent(iso.id)}/association-qr.svg">QR poster of ${iso.name} (SVG, printable)</a></td>
  <td><a href="/console/isos/${encodeURIComponent(iso.id)}/history">History</a></td>
</tr>`
})}
</tbody>
</table>`
}

export function renderConsolePage(viewer: Viewer, model: ConsolePageModel): string {
  return page({
    title: 'ISO platform console · POSM Workspace',
    viewer,
    body: html`${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : ''}
${
  model.rejectError
    ? html`<p class="error" role="alert">The request was not rejected: <a href="#reason-${model.rejectError.requestId}">${model.rejectError.message}</a></p>`
    : ''
}
${
  model.pending
    ? html`<section aria-labelledby="review-list">
  <h2 id="review-list">Review List</h2>
  ${reviewList(viewer, model.pending, model.rejectError)}
</section>`
    : ''
}
${
  model.decided
    ? html`<section aria-labelledby="recent-decisions">
  <h2 id="recent-decisions">Recent decisions</h2>
  ${recentDecisions(model.decided, model.decidedBy, model.orgInvitations ?? [])}
</section>`
    : ''
}
${model.orgInvitations ? orgInvitationsSection(viewer, model.orgInvitations) : ''}
${
  model.staff
    ? html`<section aria-labelledby="staff-details">
  <h2 id="staff-details">Staff Details</h2>
  ${staffDetails(model.staff)}
</section>`
    : ''
}
<section aria-labelledby="isos">
  <h2 id="isos">ISOs</h2>
  ${model.canOnboard ? html`<p><a href="/console/isos">Onboard an ISO or edit one</a></p>` : ''}
  ${isoTable(viewer, model.isos)}
</section>`,
    nav: 'association',
  })
}
