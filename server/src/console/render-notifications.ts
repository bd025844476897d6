import type { NotificationStatus, NotificationWithStaffRow } from '../repo/notifications'
import { page, type Viewer } from './layout'
import { html, type SafeHtml } from './html'
import { when } from './render'

const STATUS_LABELS: Record<NotificationStatus, string> = {
  PENDING: 'Waiting to be sent',
  SENDING: 'Being sent',
  SENT: 'Sent',
  FAILED: 'Given up',
  SKIPPED: 'Not sent',
}

const KIND_LABELS: Record<string, string> = {
  ASSOCIATION_APPROVED: 'Association approved',
  ASSOCIATION_REJECTED: 'Association rejected',
  PROMOTION_APPROVED: 'Promotion approved',
  PROMOTION_REJECTED: 'Promotion rejected',
  APPEAL_ACCEPTED: 'Appeal accepted',
  APPEAL_REJECTED: 'Appeal rejected',
  INSPECTION_ASSIGNED: 'Verification Task assigned',
}

export interface NotificationLogModel {
  rows: NotificationWithStaffRow[]
  counts: Partial<Record<NotificationStatus, number>>
  /** Whether the server talks to DingTalk. */
  dingtalk: string | null
}

function statusClass(status: NotificationStatus): string {
  return status === 'SENT' ? 'status-APPROVED' : status === 'FAILED' ? 'status-REJECTED' : ''
}

function row(n: NotificationWithStaffRow): SafeHtml {
  return html`<tr data-notification-id="${n.id}" data-status="${n.status}">
  <td>${when(n.created_at)}</td>
  <td>${n.staff_name ?? n.staff_id}</td>
  <td>${KIND_LABELS[n.kind] ?? n.kind}<br><code>${n.event_key}</code></td>
  <td class="${statusClass(n.status)}">${STATUS_LABELS[n.status]}</td>
  <td>${String(n.attempts)}</td>
  <td>${n.status === 'PENDING' ? when(n.next_attempt_at) : html`<span class="muted">—</span>`}</td>
  <td>${n.last_error ?? html`<span class="muted">—</span>`}</td>
  <td>${n.sent_at ? html`${when(n.sent_at)}<br><code>${n.dingtalk_task_id ?? ''}</code>` : html`<span class="muted">—</span>`}</td>
</tr>`
}

/** /console/notifications: the work notifications sent (or waiting, or given up), newest first. */
export function renderNotificationLog(viewer: Viewer, model: NotificationLogModel): string {
  const counts = (Object.keys(STATUS_LABELS) as NotificationStatus[]).map((s) => `${STATUS_LABELS[s]}: ${model.counts[s] ?? 0}`).join(' · ')
  return page({
    title: 'Work notifications · ISO platform console',
    viewer,
    body: html`<section aria-labelledby="notifications">
  <h2 id="notifications">Work notifications</h2>
  <p>${model.dingtalk ?? 'DingTalk is not configured on this server: notifications are recorded here but not sent.'}</p>
  <p id="notification-counts">${counts}</p>
  ${
    model.rows.length === 0
      ? html`<p class="muted">No notification yet.</p>`
      : html`<table>
<caption class="sr-only">Work notifications, newest first</caption>
<thead><tr><th scope="col">Created</th><th scope="col">Staff member</th><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Next attempt</th><th scope="col">Last error</th><th scope="col">Sent (DingTalk task)</th></tr></thead>
<tbody>
${model.rows.map(row)}
</tbody>
</table>`
  }
</section>`,
    nav: 'notifications',
  })
}
