import type { AssociationRequestRow } from '../repo/association-requests'
import type { OrgInvitationRow } from '../repo/org-invitations'
import { PROBLEM_ADVICE } from '../services/org-invitations'
import { postForm, type Viewer } from './layout'
import { html, type SafeHtml } from './html'
import { formatPhone, when } from './format'

const OUTCOME_TEXT: Record<NonNullable<OrgInvitationRow['outcome']>, string> = {
  existing: 'Already in the ISO’s DingTalk department',
  added: 'Added to the ISO’s DingTalk department',
  created: 'DingTalk sent the Org invitation',
  consent: 'DingTalk asked the staff member to accept the invitation',
}

/** Where an approved request's Org invitation stands, in one line (and what to do when it waits for someone). */
export function orgInvitationStatus(row: OrgInvitationRow | undefined): SafeHtml {
  if (!row) return html`<span class="muted">—</span>`
  switch (row.status) {
    case 'DONE':
      return html`<span data-org-invitation="${row.status}">${OUTCOME_TEXT[row.outcome ?? 'created']} (${when(row.done_at)})</span>`
    case 'PENDING':
    case 'SENDING':
      return row.problem
        ? html`<span data-org-invitation="${row.status}">Not sent yet (attempt ${row.attempts}): ${PROBLEM_ADVICE[row.problem]}</span>`
        : html`<span data-org-invitation="${row.status}">Being sent to DingTalk</span>`
    default:
      return html`<span data-org-invitation="${row.status}" class="error">${row.problem ? PROBLEM_ADVICE[row.problem] : 'Not sent.'}</span>`
  }
}

/** How the Phone No. of a request compares with DingTalk's, for the reviewer. */
export function phoneCheckNote(r: Pick<AssociationRequestRow, 'phone_check'>): SafeHtml {
  return r.phone_check === 'matched'
    ? html`<br><span class="muted" data-phone-check="matched">The number the staff member logs in to DingTalk with</span>`
    : html`<br><strong data-phone-check="not_compared">Not compared: DingTalk did not give this staff member’s mobile number. Check it with them.</strong>`
}

/** The Org invitations that wait for the ISO reviewer (or could not be sent), each with what to do and "Try again". */
export function orgInvitationsSection(viewer: Viewer, rows: OrgInvitationRow[]): SafeHtml {
  // development mode's (no DingTalk) are only noted beside each decision
  const waiting = rows.filter(
    (r) => r.problem !== 'no_dingtalk' && (r.status === 'ATTENTION' || r.status === 'SKIPPED' || (r.status === 'PENDING' && r.problem !== null)),
  )
  return html`<section aria-labelledby="org-invitations">
  <h2 id="org-invitations">Org invitations that need attention</h2>
  ${
    waiting.length === 0
      ? html`<p class="muted">Every approved staff member’s Org invitation was taken by DingTalk or is on its way.</p>`
      : html`<table>
<caption class="sr-only">Org invitations that need attention</caption>
<thead><tr><th scope="col">Staff name</th><th scope="col">Mobile</th><th scope="col">Since</th><th scope="col">What to do</th><th scope="col">Action</th></tr></thead>
<tbody>
${waiting.map(
  (r) => html`<tr data-org-invitation-id="${r.id}">
  <td>${r.name}</td>
  <td>${formatPhone(r.mobile_e164)}</td>
  <td>${when(r.created_at)}</td>
  <td>${orgInvitationStatus(r)}${r.errcode !== null ? html` <span class="muted">(DingTalk errcode ${r.errcode})</span>` : ''}</td>
  <td>${
    r.status === 'ATTENTION' || r.status === 'SKIPPED'
      ? html`${postForm(viewer, `/console/org-invitations/${encodeURIComponent(r.id)}/retry`, html`<button type="submit">Try again</button>`)}`
      : html`<span class="muted">The server tries again by itself</span>`
  }</td>
</tr>`,
)}
</tbody>
</table>`
  }
</section>`
}
