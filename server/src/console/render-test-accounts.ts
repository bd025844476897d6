import type { AuditRow } from '../repo/audit'
import type { StaffRow } from '../repo/staff'
import type { TestAccountRow } from '../repo/test-accounts'
import type { TestAccountFormErrors } from '../test-accounts/rules'
import { TEST_ACCOUNT_PASSWORD_MAX } from '../test-accounts/rules'
import { page, postForm, type Viewer } from './layout'
import { html, raw } from './html'
import { historyTable } from './render-accounts'
import { when } from './render'

export interface TestAccountPageModel {
  staff: StaffRow
  isoName: string | null
  /** The account the staff member's ISO assigned (never its password: only whether one is set). */
  account: TestAccountRow | null
  /** The staff member is with an ISO (one can be assigned). */
  assignable: boolean
  notice: string | null
  /** The form sent back with its problems; the email as typed (the password is never sent back). */
  form?: { email: string; errors: TestAccountFormErrors; passwordTyped: boolean }
  history: AuditRow[]
}

/** Staff Details › a staff member's Alipay test account: assign, change, withdraw; its history. */
export function renderTestAccountPage(viewer: Viewer, m: TestAccountPageModel): string {
  const action = `/console/staff/${encodeURIComponent(m.staff.id)}/test-account`
  const errors = m.form?.errors ?? {}
  const email = m.form ? m.form.email : (m.account?.email ?? '')
  const passwordSet = m.account?.password_sealed != null
  const describedBy = (field: 'email' | 'password', hint?: string) => {
    const ids = [hint, errors[field] ? `ta-${field}-error` : undefined].filter(Boolean).join(' ')
    return ids ? raw(` aria-describedby="${ids}"`) : ''
  }
  return page({
    title: `Test account of ${m.staff.name} · ISO platform console`,
    viewer,
    body: html`<p><a href="/console#staff-details">Back to Staff Details</a></p>
${m.notice ? html`<p class="notice" role="status">${m.notice}</p>` : ''}
<section aria-labelledby="test-account">
  <h2 id="test-account">Alipay test account of ${m.staff.name}</h2>
  <p class="muted">${m.isoName ? html`Staff member of ${m.isoName}.` : 'Not with an ISO.'} The staff member sees the email in the app, and the password only when they tap Show in the payment step (each time recorded below).</p>
  <dl id="test-account-current">
    <dt>Email</dt><dd>${m.account ? m.account.email : html`<span class="muted">none assigned</span>`}</dd>
    <dt>Password</dt><dd>${m.account ? (passwordSet ? 'set' : html`<strong>not set</strong> (assigned before passwords were kept: set one below)`) : html`<span class="muted">—</span>`}</dd>
    <dt>Last changed</dt><dd>${m.account ? html`${when(m.account.updated_at)} by ${m.account.updated_by_name}` : html`<span class="muted">—</span>`}</dd>
  </dl>
</section>
${
  m.assignable
    ? html`<section aria-labelledby="test-account-form">
  <h2 id="test-account-form">${m.account ? 'Change the test account' : 'Assign a test account'}</h2>
  ${
    m.form
      ? html`<div class="error" role="alert" id="test-account-errors"><p>The test account was not saved:</p><ul>${[
          errors.email ? html`<li><a href="#ta-email">${errors.email}</a></li>` : '',
          errors.password ? html`<li><a href="#ta-password">${errors.password}</a></li>` : '',
        ]}</ul>${m.form.passwordTyped ? html`<p>For its safety the password you typed was not kept: type it again.</p>` : ''}</div>`
      : ''
  }
  ${postForm(
    viewer,
    action,
    html`
    <label for="ta-email">Email (the Alipay login)</label>
    <input id="ta-email" name="email" type="email" autocomplete="off" maxlength="254" size="40" value="${email}"${describedBy('email')}${
      errors.email ? raw(' aria-invalid="true"') : ''
    }>
    ${errors.email ? html`<p class="error" id="ta-email-error">${errors.email}</p>` : ''}
    <label for="ta-password">Password</label>
    <input id="ta-password" name="password" type="password" autocomplete="new-password" maxlength="${TEST_ACCOUNT_PASSWORD_MAX}" size="30"${describedBy(
      'password',
      'ta-password-hint',
    )}${errors.password ? raw(' aria-invalid="true"') : ''}>
    <p class="muted" id="ta-password-hint">${
      passwordSet
        ? 'Leave empty to keep the password that is set. It is stored encrypted and never shown here again.'
        : 'Stored encrypted; never shown here again after saving.'
    }</p>
    ${errors.password ? html`<p class="error" id="ta-password-error">${errors.password}</p>` : ''}
    <button type="submit">${m.account ? 'Save changes' : 'Assign'}</button>
  `,
  )}
</section>`
    : html`<section><p class="muted" id="test-account-unassignable">${m.staff.name} is not with an ISO: a test account can be assigned once their ISO has them.</p></section>`
}
${
  m.account
    ? html`<section aria-labelledby="test-account-withdraw">
  <h2 id="test-account-withdraw">Withdraw</h2>
  <p>The staff member will no longer see the account; the Alipay payment step tells them to ask their ISO.</p>
  ${postForm(
    viewer,
    `${action}/withdraw`,
    html`
    <button type="submit" class="secondary">Withdraw the test account</button>
  `,
  )}
</section>`
    : ''
}
<section aria-labelledby="history">
  <h2 id="history">History</h2>
  ${historyTable(m.history, 'Assignments, changes, withdrawals and reveals of this test account')}
</section>`,
    nav: 'association',
  })
}
