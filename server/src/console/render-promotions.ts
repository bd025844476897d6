import type {
  MaterialType,
  MerchantInput,
  ProductKind,
  PromotionStatus,
  ReviewStatus,
  SpotPosition,
  StoreCategory,
  StoreInput,
} from '../../../packages/contract/promotion'
import { WALLET_NAMES } from '../../../packages/contract/promotion'
import { latestPerMode } from '../../../packages/contract/rules/payment'
import type { AppealStatus } from '../../../packages/contract/results'
import type { AppealListRow, AppealRow } from '../repo/appeals'
import type { PaymentVerificationRow } from '../repo/payment-verifications'
import type { PromotionListRow, PromotionRow, SpotRow } from '../repo/promotions'
import type { EvidenceFlagKind, EvidenceFlagRow } from '../repo/evidence'
import { page, postForm, type Viewer } from './layout'
import { html, type SafeHtml } from './html'
import { evidenceCell, evidenceNotes, evidenceReasonsAt, evidenceSummarySection, EVIDENCE_LEVEL_LABELS } from './render-evidence'
import type { EvidenceSummary } from '../evidence/summary'
import type { IsoRow } from '../repo/isos'
import { queueHref, QUEUE_PAGE_SIZE, QUEUE_STATUSES, SEARCH_MAX, type QueueQuery } from './review-queue-query'
import type { QueueCursor } from '../repo/promotions'
import type { PhotoCheckRow } from '../repo/photo-checks'
import { photoCheckNote } from './render-photo-checks'
import { DEPLOYMENT_METHOD_LABELS, formatPhone, when } from './render'

export const PRODUCT_LABELS: Record<ProductKind, string> = {
  MARKETING_CODE: 'Alipay+ Marketing Code',
  PRIMARY_POSM: 'Primary POSM',
}

export const STATUS_LABELS: Record<PromotionStatus, string> = {
  AWAITING_PAYMENT_VERIFICATION: 'Awaiting payment verification',
  PENDING_REVIEW: 'Pending review',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
}

const REVIEW_LABELS: Record<ReviewStatus, string> = { PENDING: 'Pending', APPROVED: 'Approved', REJECTED: 'Rejected' }

export const POSITION_LABELS: Record<SpotPosition, string> = {
  CASHIER_COUNTER: 'Cashier counter',
  ENTRANCE: 'Entrance',
  TABLE: 'Table',
  WALL: 'Wall',
  OTHER: 'Other',
}

export const MATERIAL_LABELS: Record<MaterialType, string> = { STICKER: 'Sticker', STAND: 'Stand', DECAL: 'Decal', POSTER: 'Poster', OTHER: 'Other' }

export const CATEGORY_LABELS: Record<StoreCategory, string> = {
  FOOD_BEVERAGE: 'Food & beverage',
  RETAIL: 'Retail',
  CONVENIENCE: 'Convenience store',
  SUPERMARKET: 'Supermarket',
  BEAUTY: 'Beauty',
  SERVICES: 'Services',
  OTHER: 'Other',
}

const TOOL_LABELS = { ALIPAY: 'Alipay app', ALIPAY_PLUS_LINKER: 'Alipay+ Linker' } as const
const MODE_LABELS = { MPM: 'Merchant-presented (MPM)', UPM: 'User-presented (UPM)' } as const

/** A console list row: the promotion and the store it names. */
export interface PromotionListItem {
  row: PromotionListRow
  store: StoreInput
  /** Its evidence flags (issue 26), shown as badges while it has no summary. */
  flags?: EvidenceFlagKind[]
  /** Its evidence summary (issue 26 item 5; null: not summarised yet; undefined: not shown). */
  summary?: EvidenceSummary | null
}

/** The filtered, keyset-paged review queue. */
export interface ReviewQueuePage {
  query: QueueQuery
  /** A message per bad value of the query string (that filter left out). */
  problems: string[]
  isos: IsoRow[]
  items: PromotionListItem[]
  /** The links to the neighbouring pages (absent: none). */
  previous?: QueueCursor
  next?: QueueCursor
  /** Not the first page (a link back to it). */
  paged: boolean
}

export interface PromotionQueueModel {
  /** Open appeals, oldest first. */
  appeals: AppealListRow[]
  queue: ReviewQueuePage
  /** The oldest few awaiting payment verification (the queue filtered by that status lists them all). */
  awaitingPayment: PromotionListItem[]
  awaitingMore: boolean
  decided: PromotionListItem[]
}

export interface ReviewFormError {
  /** 'store' or the spot's index. */
  target: 'store' | number
  message: string
  reason: string
}

export interface PromotionDetailModel {
  /** Who decided what on this promotion (the audit trail). */
  history?: SafeHtml
  promotion: PromotionRow
  staffName: string
  isoName: string
  store: StoreInput
  merchant: MerchantInput
  spots: SpotRow[]
  verifications: PaymentVerificationRow[]
  /** Newest first. */
  appeals: AppealRow[]
  notice: string | null
  error?: ReviewFormError
  /** A refused "Reject appeal" (no reason). */
  appealError?: { message: string; reason: string }
  /** The evidence checks' flags (issue 26), each shown beside its photo. */
  evidenceFlags?: EvidenceFlagRow[]
  /** Issue 26: the photo checks of the storefront, spot and appeal photos, by upload id. */
  photoChecks?: ReadonlyMap<string, PhotoCheckRow>
  /** Issue 26 item 5: the evidence summary, atop the page and each reason beside its photo. */
  evidenceSummary?: EvidenceSummary | null
}

const APPEAL_LABELS: Record<AppealStatus, string> = { OPEN: 'Open', ACCEPTED: 'Accepted', REJECTED: 'Rejected' }

/** The photos an appeal brought (its evidence for the reviewer). */
export const appealPhotoIds = (a: Pick<AppealRow, 'photo_ids_json'>): string[] => JSON.parse(a.photo_ids_json) as string[]

export const photoUrl = (id: string) => `/console/uploads/${encodeURIComponent(id)}`
const detailUrl = (id: string) => `/console/promotions/${encodeURIComponent(id)}`

function listTable(caption: string, items: PromotionListItem[], empty: string, dateLabel: string, date: (r: PromotionListRow) => string | null): SafeHtml {
  if (items.length === 0) return html`<p class="muted">${empty}</p>`
  return html`<table>
<caption class="sr-only">${caption}</caption>
<thead><tr><th scope="col">Store</th><th scope="col">Evidence</th><th scope="col">Staff</th><th scope="col">ISO</th><th scope="col">Product</th><th scope="col">Status</th><th scope="col">${dateLabel}</th></tr></thead>
<tbody>
${items.map(
  ({ row, store, flags, summary }) => html`<tr data-promotion-id="${row.id}" data-status="${row.status}">
  <td><a href="${detailUrl(row.id)}">${store.name}</a><br><span class="muted">${store.address}</span>${
    row.resubmissions > 0 ? html`<br><span class="muted" data-resubmitted="${row.resubmissions}">Modified and resubmitted</span>` : ''
  }</td>
  <td class="evidence-cell">${evidenceCell(summary ?? null, flags)}</td>
  <td>${row.staff_name}</td>
  <td>${row.iso_name}</td>
  <td>${PRODUCT_LABELS[row.product]}</td>
  <td class="status-${row.status}">${STATUS_LABELS[row.status]}</td>
  <td>${when(date(row))}</td>
</tr>`,
)}
</tbody>
</table>`
}

export function renderPromotionQueuePage(viewer: Viewer, model: PromotionQueueModel): string {
  return page({
    title: 'Alipay+ review queue · ISO platform console',
    viewer,
    body: html`<section aria-labelledby="appeals">
  <h2 id="appeals">Appeals</h2>
  <p class="muted">Staff members ask to reconsider a rejected store or spot, oldest first. Open the promotion to accept or reject the appeal.</p>
  ${openAppeals(model.appeals)}
</section>
<section aria-labelledby="review-queue">
  <h2 id="review-queue">Alipay+ review queue</h2>
  <p class="muted">Submitted stores and spots, pending review and oldest first unless you choose otherwise; each with its evidence level and the reasons for it. Open one to approve or reject the store and each spot.</p>
  ${queueSection(model.queue)}
</section>
<section aria-labelledby="awaiting-payment">
  <h2 id="awaiting-payment">Awaiting payment verification</h2>
  <p class="muted">Deploy-Then-Verify submissions whose payment verification (both modes) is not complete yet, and promotions whose payment the reviewer rejected (awaiting new evidence for that mode); they join the queue once it is complete.</p>
  ${listTable('Promotions awaiting payment verification', model.awaitingPayment, 'None.', 'Created', (r) => r.created_at)}
  ${
    model.awaitingMore
      ? html`<p><a href="${queueHref({ ...model.queue.query, status: 'AWAITING_PAYMENT_VERIFICATION', iso: '', product: '', level: '', from: '', to: '', q: '', sort: 'time' })}">All promotions awaiting payment verification</a></p>`
      : ''
  }
</section>
<section aria-labelledby="recently-decided">
  <h2 id="recently-decided">Recently decided</h2>
  ${listTable('Recently decided promotions', model.decided, 'No decisions yet.', 'Decided', (r) => r.decided_at)}
</section>`,
    nav: 'promotions',
  })
}

const QUEUE_STATUS_LABELS: Record<QueueQuery['status'], string> = { ...STATUS_LABELS, ALL: 'Any status' }

function option(value: string, label: string, selected: string): SafeHtml {
  return html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`
}

/** The filters (a plain GET form), the page of rows and the links to the neighbouring pages, which keep the filters. */
function queueSection(page: ReviewQueuePage): SafeHtml {
  const q = page.query
  const datedCaption = q.status === 'AWAITING_PAYMENT_VERIFICATION' ? 'Created' : 'Submitted'
  return html`${
    page.problems.length > 0
      ? html`<div class="error" role="alert" data-queue-problems><p>Some filters were not applied:</p><ul>${page.problems.map((p) => html`<li>${p}</li>`)}</ul></div>`
      : ''
  }
<form method="get" action="/console/promotions" class="queue-filters" role="search" aria-label="Filter the review queue">
  <label for="queue-q">Store name contains</label>
  <input id="queue-q" name="q" type="search" maxlength="${SEARCH_MAX}" value="${q.q}">
  <label for="queue-status">Status</label>
  <select id="queue-status" name="status">${QUEUE_STATUSES.map((s) => option(s, QUEUE_STATUS_LABELS[s], q.status))}</select>
  <label for="queue-level">Evidence</label>
  <select id="queue-level" name="level">${option('', 'Any level', q.level)}${(['WEAK', 'LOOK_CLOSELY', 'GOOD'] as const).map((l) =>
    option(l, EVIDENCE_LEVEL_LABELS[l], q.level),
  )}</select>
  <label for="queue-iso">ISO</label>
  <select id="queue-iso" name="iso">${option('', 'Any ISO', q.iso)}${page.isos.map((i) => option(i.id, i.name, q.iso))}</select>
  <label for="queue-product">Product</label>
  <select id="queue-product" name="product">${option('', 'Any product', q.product)}${(['MARKETING_CODE', 'PRIMARY_POSM'] as const).map((p) =>
    option(p, PRODUCT_LABELS[p], q.product),
  )}</select>
  <label for="queue-from">Submitted from (UTC)</label>
  <input id="queue-from" name="from" type="date" value="${q.from}">
  <label for="queue-to">to (UTC, included)</label>
  <input id="queue-to" name="to" type="date" value="${q.to}">
  <label for="queue-sort">Order</label>
  <select id="queue-sort" name="sort">${option('time', 'Oldest first', q.sort)}${option('evidence', 'Weakest evidence first', q.sort)}</select>
  <button type="submit">Show</button>
  <a href="/console/promotions">Clear filters</a>
</form>
${listTable('Promotions in the review queue', page.items, 'No promotions match these filters.', datedCaption, (r) => (r.status === 'AWAITING_PAYMENT_VERIFICATION' ? r.created_at : r.submitted_at))}
<nav class="pager" aria-label="Queue pages">
  ${page.previous ? html`<a rel="prev" href="${queueHref(q, { before: page.previous })}">Previous ${QUEUE_PAGE_SIZE}</a>` : ''}
  ${page.next ? html`<a rel="next" href="${queueHref(q, { after: page.next })}">Next ${QUEUE_PAGE_SIZE}</a>` : ''}
  ${page.paged ? html`<a href="${queueHref(q)}">First page</a>` : ''}
</nav>`
}

function openAppeals(rows: AppealListRow[]): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">No open appeals.</p>`
  return html`<table>
<caption class="sr-only">Open appeals</caption>
<thead><tr><th scope="col">Store</th><th scope="col">Staff</th><th scope="col">ISO</th><th scope="col">Reason</th><th scope="col">Appealed</th></tr></thead>
<tbody>
${rows.map((a) => {
  const store = JSON.parse(a.store_json) as StoreInput
  return html`<tr data-appeal-id="${a.id}" data-promotion-id="${a.promotion_id}">
  <td><a href="${detailUrl(a.promotion_id)}#appeal-${a.id}">${store.name}</a></td>
  <td>${a.staff_name}</td>
  <td>${a.iso_name}</td>
  <td>${a.reason}</td>
  <td>${when(a.created_at)}</td>
</tr>`
})}
</tbody>
</table>`
}

/** The photos of an appeal, each with what its check found (and whether the staff member kept it anyway), as the wizard's photos. */
function appealPhotos(a: AppealRow, checks: ReadonlyMap<string, PhotoCheckRow> | undefined): SafeHtml {
  const ids = appealPhotoIds(a)
  if (ids.length === 0) return html`<p class="muted">No new photos.</p>`
  return html`<ul class="appeal-photos">${ids.map(
    (id, i) =>
      html`<li data-appeal-photo="${id}"><a href="${photoUrl(id)}"><img class="thumb" src="${photoUrl(id)}" alt="Appeal photo ${i + 1}"></a>${photoCheckNote(checks?.get(id), null)}</li>`,
  )}</ul>`
}

/** The latest verification of each mode that the reviewer rejected (manual review). */
function rejectedPayments(model: PromotionDetailModel): PaymentVerificationRow[] {
  return latestPerMode(model.verifications).filter((v) => v.review_status === 'REJECTED')
}

const modeNames = (rows: readonly PaymentVerificationRow[]) => rows.map((v) => MODE_LABELS[v.mode]).join(' and ')

function appealSection(viewer: Viewer, model: PromotionDetailModel): SafeHtml {
  const base = detailUrl(model.promotion.id)
  const failed = model.appealError
  const payments = rejectedPayments(model)
  return html`<section aria-labelledby="appeals-heading">
  <h2 id="appeals-heading">Appeals (${model.appeals.length})</h2>
  ${model.appeals.length === 0 ? html`<p class="muted">The staff member has not appealed.</p>` : ''}
  ${model.appeals.map(
    (a) => html`<article class="appeal" id="appeal-${a.id}" data-appeal-id="${a.id}" data-appeal-status="${a.status}">
    <h3>Appeal of ${when(a.created_at)}: <span class="status-${a.status === 'ACCEPTED' ? 'APPROVED' : a.status}">${APPEAL_LABELS[a.status]}</span></h3>
    <p>Staff member’s reason: ${a.reason}</p>
    ${appealPhotos(a, model.photoChecks)}
    ${a.status !== 'OPEN' ? html`<p>Decided ${when(a.decided_at)}${a.reviewer_reason ? html` — reviewer’s reason: ${a.reviewer_reason}` : ''}</p>` : ''}
    ${
      a.status === 'OPEN'
        ? html`<div class="decisions">
      ${postForm(
        viewer,
        `${base}/appeals/${encodeURIComponent(a.id)}/accept`,
        html`
        <button type="submit">Accept appeal</button>
      `,
      )}
      ${postForm(
        viewer,
        `${base}/appeals/${encodeURIComponent(a.id)}/reject`,
        html`
        <label for="appeal-reason">Reason</label>
        <textarea id="appeal-reason" name="reason" rows="2" maxlength="500" aria-required="true"${
          failed ? html` aria-invalid="true" aria-describedby="appeal-reason-error"` : ''
        }>${failed?.reason ?? ''}</textarea>
        ${failed ? html`<p class="error" id="appeal-reason-error">${failed.message}</p>` : ''}
        <button type="submit" class="secondary">Reject appeal</button>
      `,
      )}
    </div>
    <p class="muted">Accepting approves every rejected item of this promotion; rejecting keeps them rejected (the staff member can still modify the submission).</p>
    ${
      payments.length > 0
        ? html`<p class="muted" data-appeal-payment-note>Accepting does not overturn the rejected payment (${modeNames(payments)}): the promotion then awaits a new payment verification by the staff member, not approval.</p>`
        : ''
    }`
        : ''
    }
  </article>`,
  )}
</section>`
}

function reviewBadge(status: ReviewStatus, reason: string | null): SafeHtml {
  return html`<p>Review: <span class="status-${status}">${REVIEW_LABELS[status]}</span>${reason ? html` — ${reason}` : ''}</p>`
}

/** Approve and Reject forms for the store or one spot; the reject form's Reason is required. */
function decisionForms(viewer: Viewer, base: string, noun: 'store' | 'spot', fieldId: string, failed: ReviewFormError | undefined): SafeHtml {
  const errorId = `${fieldId}-error`
  return html`<div class="decisions">
  ${postForm(
    viewer,
    `${base}/approve`,
    html`
    <button type="submit">Approve ${noun}</button>
  `,
  )}
  ${postForm(
    viewer,
    `${base}/reject`,
    html`
    <label for="${fieldId}">Reason</label>
    <textarea id="${fieldId}" name="reason" rows="2" maxlength="500" aria-required="true"${
      failed ? html` aria-invalid="true" aria-describedby="${errorId}"` : ''
    }>${failed?.reason ?? ''}</textarea>
    ${failed ? html`<p class="error" id="${errorId}">${failed.message}</p>` : ''}
    <button type="submit" class="secondary">Reject ${noun}</button>
  `,
  )}
</div>`
}

function location(store: StoreInput): SafeHtml {
  const l = store.location
  return html`${l.latitude.toFixed(6)}, ${l.longitude.toFixed(6)}${l.accuracy !== null ? ` (±${Math.round(l.accuracy)} m)` : ''}${
    l.mocked ? html` <strong class="error">reported as a mock location</strong>` : ''
  }`
}

/** The payment as the lookup found it: amount (minor units, as Alipay+ gives them), currency, time, wallet. */
function paymentFacts(r: PaymentVerificationRow): SafeHtml {
  if (!r.payment_id || r.checked_by === 'REVIEWER') return html`<span class="muted">—</span>`
  const amount = r.amount_value && r.amount_currency ? `${r.amount_value} ${r.amount_currency} (minor units)` : 'amount not given'
  return html`<span data-payment-facts>${amount}; paid ${r.payment_time ? when(r.payment_time) : 'at an unknown time'}; wallet ${r.wallet_brand ?? 'not named'}</span>`
}

const CHECKED_BY_LABELS = { ALIPAY_PLUS: 'Looked up with Alipay+', REVIEWER: 'Checked by a reviewer', SIMULATOR: 'Simulator (development)' } as const

/** The result of a record: looked up (Passed/Failed), or evidence checked by a reviewer (never "Verified" before a reviewer confirms it). */
function resultOf(r: PaymentVerificationRow): SafeHtml {
  if (r.checked_by === 'REVIEWER' && r.review_status) {
    if (r.review_status === 'PENDING') return html`<span class="status-PENDING" data-payment-review="PENDING">Evidence submitted — checked by a reviewer</span>`
    if (r.review_status === 'CONFIRMED') return html`<span class="status-APPROVED" data-payment-review="CONFIRMED">Confirmed by the reviewer</span>`
    return html`<span class="status-REJECTED" data-payment-review="REJECTED">Rejected by the reviewer</span>${r.review_reason ? html` <span class="muted">(${r.review_reason})</span>` : ''}`
  }
  return html`${r.status === 'PASSED' ? 'Passed' : 'Failed'}${r.reason ? html` <span class="muted">(${r.reason}${r.result_code && r.status === 'FAILED' ? `: ${r.result_code}` : ''})</span>` : ''}`
}

/** Confirm and Reject forms for evidence awaiting the reviewer (manual review); the reason is required to reject. */
function paymentDecisionForms(viewer: Viewer, r: PaymentVerificationRow): SafeHtml {
  if (r.checked_by !== 'REVIEWER' || r.review_status !== 'PENDING') return html``
  const base = `/console/payment-verifications/${encodeURIComponent(r.id)}`
  const fieldId = `payment-reason-${r.id}`
  return html`<div class="decisions">
  ${postForm(viewer, `${base}/confirm`, html`<button type="submit">Confirm ${r.mode} payment</button>`)}
  ${postForm(
    viewer,
    `${base}/reject`,
    html`
    <label for="${fieldId}">Reason</label>
    <textarea id="${fieldId}" name="reason" rows="2" maxlength="500" aria-required="true"></textarea>
    <button type="submit" class="secondary">Reject ${r.mode} payment</button>
  `,
  )}
</div>`
}

/** `counting`: the ids of the verifications that count (the latest of each mode); the others are marked replaced. */
export function verificationTable(viewer: Viewer, rows: PaymentVerificationRow[], counting?: ReadonlySet<string>): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">No payment verification recorded.</p>`
  return html`<p class="muted">The Alipay+ inquiry names no merchant: compare the amount, currency, time and wallet with the store above.</p>
<table>
<caption class="sr-only">Payment verification records</caption>
<thead><tr><th scope="col">Mode</th><th scope="col">Tool</th><th scope="col">Reference</th><th scope="col">Checked</th><th scope="col">Result</th><th scope="col">Payment</th><th scope="col">Photo</th><th scope="col">Recorded</th></tr></thead>
<tbody>
${rows.map(
  (r) => html`<tr data-verification-id="${r.id}"${counting && !counting.has(r.id) ? html` data-replaced class="muted"` : ''}>
  <td>${MODE_LABELS[r.mode]}${counting && !counting.has(r.id) ? html`<br><span class="muted">Replaced by later evidence</span>` : ''}</td>
  <td>${TOOL_LABELS[r.tool]}</td>
  <td><code>${r.reference}</code></td>
  <td>${CHECKED_BY_LABELS[r.checked_by ?? 'SIMULATOR']}</td>
  <td class="status-${r.status}">${resultOf(r)}${paymentDecisionForms(viewer, r)}</td>
  <td>${paymentFacts(r)}</td>
  <td><a href="${photoUrl(r.photo_id)}"><img class="thumb" src="${photoUrl(r.photo_id)}" alt="Payment result, ${r.mode}"></a></td>
  <td>${when(r.created_at)}</td>
</tr>`,
)}
</tbody>
</table>`
}

/** The payments the reviewer rejected (their latest evidence), with what happens next. */
function paymentRejectionNote(model: PromotionDetailModel): SafeHtml {
  const payments = rejectedPayments(model)
  if (payments.length === 0) return html``
  const next =
    model.promotion.status === 'AWAITING_PAYMENT_VERIFICATION'
      ? 'The staff member verifies that payment again with a new payment; the promotion then returns to review.'
      : 'Once the store and spots are approved, the staff member verifies that payment again; the promotion is not approved before.'
  return html`<p class="error" data-payment-rejected>Payment rejected by the reviewer: ${payments.map(
    (v, i) => html`${i > 0 ? '; ' : ''}${MODE_LABELS[v.mode]}${v.review_reason ? ` — ${v.review_reason}` : ''}`,
  )}. ${next}</p>`
}

export function renderPromotionDetailPage(viewer: Viewer, model: PromotionDetailModel): string {
  const { promotion: p, store, merchant } = model
  const base = detailUrl(p.id)
  const open = p.status === 'PENDING_REVIEW'
  const error = model.error
  return page({
    title: `${store.name} · Alipay+ review · ISO platform console`,
    viewer,
    body: html`${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : ''}
${error ? html`<p class="error" role="alert">Not rejected: <a href="#${error.target === 'store' ? 'store-reason' : `spot-reason-${error.target}`}">${error.message}</a></p>` : ''}
${model.appealError ? html`<p class="error" role="alert">The appeal was not rejected: <a href="#appeal-reason">${model.appealError.message}</a></p>` : ''}
<section aria-labelledby="promotion-title" data-promotion-id="${p.id}">
  <h2 id="promotion-title">${store.name}</h2>
  <dl>
    <dt>Status</dt><dd class="status-${p.status}" data-promotion-status="${p.status}">${STATUS_LABELS[p.status]}</dd>
    <dt>Product</dt><dd>${PRODUCT_LABELS[p.product]}</dd>
    <dt>Deployment method</dt><dd>${DEPLOYMENT_METHOD_LABELS[p.method]}</dd>
    <dt>Staff</dt><dd>${model.staffName}</dd>
    <dt>ISO</dt><dd>${model.isoName}</dd>
    <dt>Created</dt><dd>${when(p.created_at)}</dd>
    <dt>Submitted for review</dt><dd>${when(p.submitted_at)}</dd>
  </dl>
  ${paymentRejectionNote(model)}
  ${open ? '' : html`<p class="muted">${p.status === 'AWAITING_PAYMENT_VERIFICATION' ? 'Read only: the staff member has not completed payment verification yet.' : 'Read only: this promotion has been decided.'}</p>`}
  <p><a href="/console/promotions">Back to the review queue</a></p>
</section>
${evidenceSummarySection(model.evidenceSummary ?? null)}
${appealSection(viewer, model)}
<section aria-labelledby="store-heading" data-review="store">
  <h2 id="store-heading">Store</h2>
  <dl>
    <dt>Name</dt><dd>${store.name}</dd>
    <dt>Address</dt><dd>${store.address}</dd>
    <dt>Category</dt><dd>${CATEGORY_LABELS[store.category] ?? store.category}</dd>
    <dt>Accepted wallets</dt><dd>${store.wallets.map((w) => WALLET_NAMES[w] ?? w).join(', ')}</dd>
    <dt>Business hours</dt><dd>${store.openingTime}–${store.closingTime}</dd>
    <dt>Manager consent</dt><dd>${store.managerConsent ? 'Yes' : 'No'}</dd>
    <dt>Location</dt><dd>${location(store)}</dd>
  </dl>
  <img class="photo" src="${photoUrl(store.storefrontPhotoId)}" alt="Storefront of ${store.name}">
  <div id="evidence-store">${evidenceReasonsAt(model.evidenceSummary, 'store.storefrontPhotoId', 'store.location')}</div>
  ${evidenceNotes(model.evidenceFlags, 'store.storefrontPhotoId', 'store.location')}
  ${photoCheckNote(model.photoChecks?.get(store.storefrontPhotoId), null)}
  ${reviewBadge(p.store_review_status, p.store_review_reason)}
  ${open && p.store_review_status === 'PENDING' ? decisionForms(viewer, `${base}/store`, 'store', 'store-reason', error?.target === 'store' ? error : undefined) : ''}
</section>
<section aria-labelledby="spots-heading">
  <h2 id="spots-heading">Spots (${model.spots.length})</h2>
  ${model.spots.map(
    (s) => html`<article class="spot" data-spot-index="${s.idx}" aria-labelledby="spot-${s.idx}-heading">
    <h3 id="spot-${s.idx}-heading">Spot ${s.idx + 1}: ${POSITION_LABELS[s.position] ?? s.position}${s.position_note ? ` (${s.position_note})` : ''}</h3>
    <p>${s.marketing_code ? html`Marketing Code <code>${s.marketing_code}</code>` : html`Material: ${s.material_type ? MATERIAL_LABELS[s.material_type] : '—'}`}</p>
    <img class="photo" src="${photoUrl(s.photo_id)}" alt="Spot ${s.idx + 1} photo">
    <div id="evidence-spot-${s.idx}">${evidenceReasonsAt(model.evidenceSummary, `spots.${s.idx}.photoId`)}</div>
    ${evidenceNotes(model.evidenceFlags, `spots.${s.idx}.photoId`)}
    ${photoCheckNote(model.photoChecks?.get(s.photo_id), s.marketing_code)}
    ${reviewBadge(s.review_status, s.review_reason)}
    ${open && s.review_status === 'PENDING' ? decisionForms(viewer, `${base}/spots/${s.idx}`, 'spot', `spot-reason-${s.idx}`, error?.target === s.idx ? error : undefined) : ''}
  </article>`,
  )}
</section>
<section aria-labelledby="merchant-heading">
  <h2 id="merchant-heading">Merchant</h2>
  <dl>
    <dt>Contact</dt><dd>${merchant.contactName}, ${formatPhone(merchant.contactPhone)}</dd>
    <dt>Legal name</dt><dd>${merchant.legalName}</dd>
    <dt>Acquirer merchant ID</dt><dd><code>${merchant.acquirerMerchantId}</code></dd>
    <dt>Notes</dt><dd>${merchant.notes || html`<span class="muted">—</span>`}</dd>
  </dl>
</section>
<section aria-labelledby="payment-heading">
  <h2 id="payment-heading">Payment verification</h2>
  ${evidenceReasonsAt(model.evidenceSummary, 'payment.MPM', 'payment.UPM')}
  ${verificationTable(viewer, model.verifications, new Set(latestPerMode(model.verifications).map((v) => v.id)))}
</section>
${model.history ?? ''}`,
    nav: 'promotions',
  })
}
