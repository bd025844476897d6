import type { DeploymentMethod } from '../../../packages/contract/api'
import { toAgreementView } from '../../../packages/contract/rules/method-agreement'
import type { AssociationRequestRow } from '../repo/association-requests'
import { agreementOf, type IsoRow } from '../repo/isos'
import type { StaffWithIsoRow } from '../repo/staff'
import { formatPhone, when } from './format'
import { SPOT_LIMIT_RANGE } from '../services/iso-profile'
import { html, raw, type SafeHtml } from './html'
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

const STYLE = raw(`
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; }
  body { margin: 0; background: #f4f6f8; line-height: 1.45; }
  header { background: #1677ff; color: #fff; padding: 0.75rem 1.5rem; }
  header h1 { margin: 0; font-size: 1.25rem; }
  header p { margin: 0.25rem 0 0; font-size: 0.875rem; }
  main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
  section { background: #fff; border-radius: 8px; padding: 0.5rem 1rem 1rem; margin-top: 1rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  h2 { font-size: 1.1rem; }
  table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
  th, td { text-align: left; vertical-align: top; padding: 0.5rem; border-bottom: 1px solid #e3e6ea; }
  th { background: #fafbfc; }
  form { margin: 0 0 0.5rem; }
  label { display: block; font-weight: 600; font-size: 0.85rem; }
  select, input { font: inherit; padding: 0.25rem; }
  textarea { width: 100%; min-width: 14rem; box-sizing: border-box; font: inherit; }
  button { font: inherit; padding: 0.3rem 0.9rem; border-radius: 4px; border: 1px solid #1677ff; background: #1677ff; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #b42318; border-color: #b42318; }
  button:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #f5a623; outline-offset: 1px; }
  .photo-check--warn { color: #8a4b00; font-weight: 600; }
  .notice { background: #e6f4ea; border: 1px solid #34a853; padding: 0.5rem 0.75rem; border-radius: 4px; }
  .error { color: #b42318; font-weight: 600; margin: 0.25rem 0; }
  .muted { color: #5f6b7a; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  code { font-size: 0.85rem; word-break: break-all; }
  header nav { margin-top: 0.35rem; font-size: 0.9rem; }
  header nav a { color: #fff; margin-right: 1rem; }
  header nav a[aria-current="page"] { font-weight: 700; }
  header form.account { margin: 0.35rem 0 0; font-size: 0.85rem; }
  button.link { background: none; border: 0; color: #fff; text-decoration: underline; padding: 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  img.photo { max-width: 20rem; max-height: 20rem; border: 1px solid #e3e6ea; border-radius: 4px; display: block; margin: 0.5rem 0; }
  img.thumb { max-width: 6rem; max-height: 6rem; border: 1px solid #e3e6ea; }
  article.spot { border-top: 1px solid #e3e6ea; padding-top: 0.5rem; margin-top: 0.5rem; }
  .status-APPROVED, .status-PASSED { color: #137333; font-weight: 600; }
  .status-REJECTED, .status-FAILED { color: #b42318; font-weight: 600; }
  .decisions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
  .decisions form { flex: 1 1 14rem; }
`)

export type ConsoleSection = 'association' | 'method' | 'isos' | 'exports' | 'promotions' | 'inspections' | 'notifications' | 'accounts' | 'audit'

/**
 * Where the console's navigation goes: filled in for the signed-in account when the page is sent (the
 * links its role may use, its name, sign-out), so that page renderers need not know who is looking.
 */
export function navPlaceholder(current: ConsoleSection | null): string {
  return `<!--console-nav:${current ?? ''}-->`
}

export interface NavLink {
  section: ConsoleSection
  href: string
  label: string
}

/** The navigation for an account: its links, who is signed in, and the sign-out form. */
export function renderNav(current: ConsoleSection | null, links: NavLink[], who: string): string {
  return html`<nav aria-label="Console sections">${links.map(
    (l) => html`<a href="${l.href}"${current === l.section ? raw(' aria-current="page"') : ''}>${l.label}</a>`,
  )}</nav>
<form method="post" action="/console/sign-out" class="account"><span>Signed in as ${who}</span> <button type="submit" class="link">Sign out</button></form>`
    .value
}

export function layout(title: string, body: SafeHtml, current: ConsoleSection | null = null): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>POSM Workspace · ISO platform console</h1>
  <p>Local stand-in for the ISO platform of the Alipay Global Merchant Portal.</p>
  ${raw(navPlaceholder(current))}
</header>
<main>
${body}
</main>
</body>
</html>
`.value
}

// the console's dates and phone numbers (format.ts; here too for the pages that import them from render)
export { formatPhone, when } from './format'

function reviewRow(r: AssociationRequestRow, error: RejectFormError | undefined): SafeHtml {
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
    <form method="post" action="/console/requests/${encodeURIComponent(r.id)}/approve">
      <button type="submit">Approve</button>
    </form>
    <form method="post" action="/console/requests/${encodeURIComponent(r.id)}/reject">
      <label for="${reasonId}">Reason</label>
      <textarea id="${reasonId}" name="reason" rows="2" maxlength="500" aria-required="true"${
        failed ? html` aria-invalid="true" aria-describedby="${errorId}"` : ''
      }>${failed?.reason ?? ''}</textarea>
      ${failed ? html`<p class="error" id="${errorId}">${failed.message}</p>` : ''}
      <button type="submit" class="secondary">Reject</button>
    </form>
  </td>
</tr>`
}

function reviewList(pending: AssociationRequestRow[], rejectError: RejectFormError | undefined): SafeHtml {
  if (pending.length === 0) return html`<p class="muted">No association requests await review.</p>`
  return html`<table>
<caption class="sr-only">Pending association requests</caption>
<thead><tr><th scope="col">Staff name</th><th scope="col">Phone</th><th scope="col">ISO</th><th scope="col">ISO email entered</th><th scope="col">Requested</th><th scope="col">Decision</th></tr></thead>
<tbody>
${pending.map((r) => reviewRow(r, rejectError))}
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

function isoTable(views: IsoView[]): SafeHtml {
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
      ? html`<form method="post" action="/console/isos/${encodeURIComponent(iso.id)}/spot-limit">
      <label for="${limitId}">Spots per store</label>
      <input id="${limitId}" name="maxSpotsPerStore" type="number" inputmode="numeric" min="${SPOT_LIMIT_RANGE.min}" max="${SPOT_LIMIT_RANGE.max}" value="${iso.max_spots_per_store}">
      <button type="submit">Save</button>
    </form>`
      : html`at most ${iso.max_spots_per_store} spots per store`
  }</td>
  <td>${
    editDepartment
      ? html`<form method="post" action="/console/isos/${encodeURIComponent(iso.id)}/dingtalk-department">
      <label for="${deptId}" class="sr-only">DingTalk department ID of ${iso.name}</label>
      <input id="${deptId}" name="dingtalkDeptId" inputmode="numeric" pattern="[0-9]*" maxlength="18" size="10" value="${iso.dingtalk_dept_id ?? ''}">
      <button type="submit">Save</button>
    </form>`
      : (iso.dingtalk_dept_id ?? html`<span class="muted">not set</span>`)
  }</td>
  <td><a href="/console/isos/${encodeURIComponent(iso.id)}/association-qr.svg">QR poster of ${iso.name} (SVG, printable)</a></td>
  <td><a href="/console/isos/${encodeURIComponent(iso.id)}/history">History</a></td>
</tr>`
})}
</tbody>
</table>`
}

export function renderConsolePage(model: ConsolePageModel): string {
  return layout(
    'ISO platform console · POSM Workspace',
    html`${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : ''}
${
  model.rejectError
    ? html`<p class="error" role="alert">The request was not rejected: <a href="#reason-${model.rejectError.requestId}">${model.rejectError.message}</a></p>`
    : ''
}
${
  model.pending
    ? html`<section aria-labelledby="review-list">
  <h2 id="review-list">Review List</h2>
  ${reviewList(model.pending, model.rejectError)}
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
${model.orgInvitations ? orgInvitationsSection(model.orgInvitations) : ''}
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
  ${isoTable(model.isos)}
</section>`,
    'association',
  )
}

/** A short page for refusals (404, 409, 400...) with a way back. */
export function renderMessagePage(title: string, message: string): string {
  return layout(
    `${title} · ISO platform console`,
    html`<section aria-labelledby="message-title">
  <h2 id="message-title">${title}</h2>
  <p>${message}</p>
  <p><a href="/console">Back to the console</a></p>
</section>`,
  )
}
