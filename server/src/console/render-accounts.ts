import type { AuditFilter, AuditRow } from '../repo/audit'
import type { ConsoleAccountRow, ConsoleRole } from '../repo/console-accounts'
import type { IsoRow } from '../repo/isos'
import { ROLE_LABELS } from '../services/console-accounts'
import { csvCell } from '../csv'
import { page, postForm, type Viewer } from './layout'
import { html, raw, type SafeHtml } from './html'
import { when } from './render'

/** What an audit action means, in the console's words. */
export const ACTION_LABELS: Record<string, string> = {
  'association.approve': 'Approved an association request',
  'association.reject': 'Rejected an association request',
  'iso.settings': 'Changed the deployment method or spot limit',
  'iso.dingtalk_department': 'Changed the DingTalk department',
  'iso.create': 'Onboarded an ISO',
  'iso.update': 'Edited an ISO’s profile',
  'promotion.store.approve': 'Approved the store',
  'promotion.store.reject': 'Rejected the store',
  'promotion.spot.approve': 'Approved a spot',
  'promotion.spot.reject': 'Rejected a spot',
  'appeal.accept': 'Accepted an appeal',
  'appeal.reject': 'Rejected an appeal',
  'inspection.assign': 'Assigned a spot inspection',
  'inspection.accept': 'Accepted an inspection',
  'inspection.reject': 'Rejected an inspection',
  'account.create': 'Created a console account',
  'account.disable': 'Disabled a console account',
  'account.enable': 'Enabled a console account',
  'account.reset_password': 'Reset a console account’s password',
  'test_account.assign': 'Assigned an Alipay test account',
  'test_account.change': 'Changed an Alipay test account',
  'test_account.withdraw': 'Withdrew an Alipay test account',
  'test_account.reveal': 'Revealed the test account’s password (staff member, in the app)',
}

function compact(jsonText: string | null): SafeHtml {
  if (!jsonText) return html`<span class="muted">—</span>`
  try {
    const value = JSON.parse(jsonText) as unknown
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return html`${Object.entries(value as Record<string, unknown>).map(([k, v]) => html`<div><span class="muted">${k}:</span> ${v === null ? '—' : String(v)}</div>`)}`
    }
    return html`${String(value)}`
  } catch {
    return html`${jsonText}`
  }
}

/** A record's history (oldest first), or the audit trail (newest first): who, role, when, what, before, after, reason. */
export function historyTable(rows: AuditRow[], caption: string, withSubject = false): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">Nothing recorded yet.</p>`
  return html`<table class="history">
<caption class="sr-only">${caption}</caption>
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Role</th><th scope="col">What</th>${
    withSubject ? html`<th scope="col">Record</th>` : ''
  }<th scope="col">Before</th><th scope="col">After</th><th scope="col">Reason</th></tr></thead>
<tbody>
${rows.map(
  (r) => html`<tr data-audit-seq="${r.seq}">
  <td>${when(r.at)}</td>
  <td>${r.actor_name}${r.actor_address ? html`<div class="muted">from ${r.actor_address}</div>` : ''}</td>
  <td>${ROLE_LABELS[r.actor_role as ConsoleRole] ?? r.actor_role}</td>
  <td>${ACTION_LABELS[r.action] ?? r.action}</td>
  ${withSubject ? html`<td><code>${r.subject_type} ${r.subject_id}</code></td>` : ''}
  <td>${compact(r.before_json)}</td>
  <td>${compact(r.after_json)}</td>
  <td>${r.reason ?? html`<span class="muted">—</span>`}</td>
</tr>`,
)}
</tbody>
</table>`
}

export function historySection(rows: AuditRow[]): SafeHtml {
  return html`<section aria-labelledby="history">
  <h2 id="history">History</h2>
  ${historyTable(rows, 'Who decided what on this record')}
</section>`
}

export function renderHistoryPage(viewer: Viewer, title: string, rows: AuditRow[], back: { href: string; label: string }): string {
  return page({
    title: `${title} · ISO platform console`,
    viewer,
    body: html`<p><a href="${back.href}">${back.label}</a></p>
<section aria-labelledby="history">
  <h2 id="history">${title}</h2>
  ${historyTable(rows, title)}
</section>`,
  })
}

export interface AuditPageModel {
  rows: AuditRow[]
  filter: AuditFilter
  actions: string[]
  /** The link to older entries, or null. */
  older: string | null
  csv: string
}

export function renderAuditPage(viewer: Viewer, m: AuditPageModel): string {
  const f = m.filter
  const input = (name: keyof AuditFilter, label: string, type = 'text') =>
    html`<label for="f-${name}">${label}</label><input id="f-${name}" name="${name}" type="${type}" value="${f[name] === undefined ? '' : String(f[name])}" maxlength="100">`
  return page({
    title: 'Audit trail · ISO platform console',
    viewer,
    body: html`<section aria-labelledby="audit">
  <h2 id="audit">Audit trail</h2>
  <form method="get" action="/console/audit" class="filters">
    <label for="f-action">What</label>
    <select id="f-action" name="action"><option value="">Any decision</option>${m.actions.map(
      (a) => html`<option value="${a}"${a === f.action ? raw(' selected') : ''}>${ACTION_LABELS[a] ?? a}</option>`,
    )}</select>
    ${input('actorId', 'Who (account ID)')}
    ${input('subjectType', 'Record type')}
    ${input('subjectId', 'Record ID')}
    ${input('isoId', 'ISO ID')}
    ${input('from', 'From (date)', 'date')}
    ${input('to', 'To (date)', 'date')}
    <button type="submit">Filter</button>
  </form>
  <p><a href="${m.csv}">Download these entries as CSV</a></p>
  ${historyTable(m.rows, 'Decisions, newest first', true)}
  ${m.older ? html`<p><a href="${m.older}">Older entries</a></p>` : ''}
</section>`,
    nav: 'audit',
  })
}

/** CSV (RFC 4180) of audit rows; a cell that a spreadsheet would run as a formula is prefixed with '. */
export function auditCsv(rows: AuditRow[]): string {
  const cell = csvCell
  const header = [
    'seq',
    'at',
    'actor_id',
    'actor_name',
    'actor_role',
    'actor_address',
    'action',
    'subject_type',
    'subject_id',
    'iso_id',
    'before',
    'after',
    'reason',
  ]
  const lines = rows.map((r) =>
    [
      r.seq,
      r.at,
      r.actor_id,
      r.actor_name,
      r.actor_role,
      r.actor_address,
      r.action,
      r.subject_type,
      r.subject_id,
      r.iso_id,
      r.before_json,
      r.after_json,
      r.reason,
    ]
      .map(cell)
      .join(','),
  )
  return [header.join(','), ...lines].join('\r\n') + '\r\n'
}

export interface AccountFormState {
  username: string
  name: string
  role: string
  isoId: string
  region: string
  error: string | null
}

export interface AccountsPageModel {
  accounts: ConsoleAccountRow[]
  isos: IsoRow[]
  notice: string | null
  form: AccountFormState
  /** A reset-password form's refusal, shown beside that account. */
  resetError?: { accountId: string; message: string }
  selfId: string
}

export function renderAccountsPage(viewer: Viewer, m: AccountsPageModel): string {
  const f = m.form
  const isoName = (id: string | null) => m.isos.find((i) => i.id === id)?.name ?? id
  return page({
    title: 'Console accounts · ISO platform console',
    viewer,
    body: html`${m.notice ? html`<p class="notice" role="status">${m.notice}</p>` : ''}
<section aria-labelledby="accounts">
  <h2 id="accounts">Console accounts</h2>
  <table>
  <caption class="sr-only">Console accounts</caption>
  <thead><tr><th scope="col">User name</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Scope</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
  <tbody>
  ${m.accounts.map((a) => {
    const resetId = `reset-${a.id}`
    const failed = m.resetError?.accountId === a.id ? m.resetError : undefined
    return html`<tr data-account-id="${a.id}">
    <td>${a.username}</td>
    <td>${a.name}</td>
    <td>${ROLE_LABELS[a.role]}</td>
    <td>${a.role === 'iso_reviewer' ? isoName(a.iso_id) : a.role === 'coordinator' ? `Region ${a.region}` : 'All'}</td>
    <td>${a.disabled_at ? html`Disabled ${when(a.disabled_at)}` : 'Active'}</td>
    <td>
      ${
        a.id === m.selfId
          ? html`<span class="muted">You</span>`
          : html`${postForm(
              viewer,
              `/console/accounts/${encodeURIComponent(a.id)}/${a.disabled_at ? 'enable' : 'disable'}`,
              html`
        <button type="submit"${a.disabled_at ? '' : raw(' class="secondary"')}>${a.disabled_at ? 'Enable' : 'Disable'}</button>
      `,
            )}`
      }
      ${postForm(
        viewer,
        `/console/accounts/${encodeURIComponent(a.id)}/password`,
        html`
        <label for="${resetId}">New password</label>
        <input id="${resetId}" name="password" type="password" autocomplete="new-password" minlength="12" maxlength="200"${
          failed ? html` aria-invalid="true" aria-describedby="${resetId}-error"` : ''
        }>
        ${failed ? html`<p class="error" id="${resetId}-error">${failed.message}</p>` : ''}
        <button type="submit">Reset password</button>
      `,
      )}
      <a href="/console/accounts/${encodeURIComponent(a.id)}/history">History</a>
    </td>
  </tr>`
  })}
  </tbody>
  </table>
</section>
<section aria-labelledby="new-account">
  <h2 id="new-account">New account</h2>
  ${f.error ? html`<p class="error" role="alert" id="account-error">${f.error}</p>` : ''}
  ${postForm(
    viewer,
    '/console/accounts',
    html`
    <label for="a-username">User name</label>
    <input id="a-username" name="username" autocomplete="off" maxlength="40" value="${f.username}">
    <label for="a-name">Name</label>
    <input id="a-name" name="name" maxlength="100" value="${f.name}">
    <label for="a-role">Role</label>
    <select id="a-role" name="role">${(Object.keys(ROLE_LABELS) as ConsoleRole[]).map(
      (r) => html`<option value="${r}"${r === f.role ? raw(' selected') : ''}>${ROLE_LABELS[r]}</option>`,
    )}</select>
    <label for="a-iso">ISO (ISO reviewers)</label>
    <select id="a-iso" name="isoId"><option value="">—</option>${m.isos.map(
      (i) => html`<option value="${i.id}"${i.id === f.isoId ? raw(' selected') : ''}>${i.name}</option>`,
    )}</select>
    <label for="a-region">Region (regional coordinators)</label>
    <input id="a-region" name="region" maxlength="8" value="${f.region}">
    <label for="a-password">Password (at least 12 characters)</label>
    <input id="a-password" name="password" type="password" autocomplete="new-password" minlength="12" maxlength="200">
    <button type="submit">Create account</button>
  `,
  )}
</section>`,
    nav: 'accounts',
  })
}

export interface SignInPageModel {
  username: string
  error: string | null
  /** The token of the sign-in form (bound by the server to the form's cookie: sign-in-form.ts). */
  formToken: string
  next: string
  /** No account exists yet (production before the first administrator). */
  noAccounts: boolean
  dev: boolean
}

export function renderSignInPage(m: SignInPageModel): string {
  return page({
    title: 'Sign in · ISO platform console',
    viewer: null,
    body: html`<section aria-labelledby="sign-in">
  <h2 id="sign-in">Sign in</h2>
  ${
    m.noAccounts
      ? html`<p class="notice" role="status">No console account exists yet. On the server, create the first administrator: <code>npm run console:user -- add --role admin --username NAME --name "FULL NAME"</code> (it asks for the password on standard input).</p>`
      : ''
  }
  ${m.error ? html`<p class="error" role="alert" id="sign-in-error">${m.error}</p>` : ''}
  ${postForm(
    { csrf: m.formToken },
    '/console/sign-in',
    html`
    <input type="hidden" name="next" value="${m.next}">
    <label for="username">User name</label>
    <input id="username" name="username" autocomplete="username" maxlength="100" value="${m.username}" required${
      m.error ? raw(' aria-describedby="sign-in-error"') : ''
    }>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" maxlength="200" required>
    <p><button type="submit">Sign in</button></p>
  `,
  )}
  ${m.dev ? html`<p class="muted">Development mode: the accounts console (administrator), lioncity and nusantara (ISO reviewers), coordinator (regional coordinator, SEA) and alipay (Alipay+ reviewer) all have the password <code>console</code>.</p>` : ''}
</section>`,
  })
}
