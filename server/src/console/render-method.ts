import type { DeploymentMethod } from '../../../packages/contract/api'
import { toAgreementView, type MethodAgreementStatus } from '../../../packages/contract/rules/method-agreement'
import type { ConsoleAccountRow } from '../repo/console-accounts'
import { agreementOf, type IsoRow } from '../repo/isos'
import { ROLE_LABELS } from '../services/console-accounts'
import { page, postForm, type Viewer } from './layout'
import { html, raw, type SafeHtml } from './html'
import { DEPLOYMENT_METHOD_LABELS, when } from './render'

export const AGREEMENT_STATUS_LABELS: Record<MethodAgreementStatus, string> = {
  NOT_AGREED: 'Not agreed',
  PROPOSED: 'Proposed, awaiting the coordinator',
  AGREED: 'Agreed',
  DECLINED: 'Declined, awaiting a new proposal',
}

/** One ISO's agreement and what the viewer may do with it. */
export interface MethodIsoView {
  iso: IsoRow
  /** Who proposed (from the audit trail), when a proposal is shown. */
  proposedBy: string | null
  canPropose: boolean
  canAgree: boolean
}

export interface MethodPageModel {
  notice: string | null
  error: { isoId: string; message: string; reason: string } | null
  isos: MethodIsoView[]
  /** An administrator: the DingTalk users of the accounts that take part in agreements (null: not shown). */
  accounts: ConsoleAccountRow[] | null
  locales: readonly string[]
}

const METHODS = Object.keys(DEPLOYMENT_METHOD_LABELS) as DeploymentMethod[]

function isoCard(viewer: Viewer, v: MethodIsoView, error: MethodPageModel['error']): SafeHtml {
  const { iso } = v
  const view = toAgreementView(agreementOf(iso))
  const id = encodeURIComponent(iso.id)
  const failed = error?.isoId === iso.id ? error : null
  return html`<section aria-labelledby="iso-${iso.id}-title" id="iso-${iso.id}" data-iso-id="${iso.id}" data-method-status="${view.status}">
  <h2 id="iso-${iso.id}-title">${iso.name} <span class="muted">· region ${iso.region}</span></h2>
  <dl>
    <dt>State</dt><dd data-field="status">${AGREEMENT_STATUS_LABELS[view.status]}</dd>
    <dt>Method in force</dt><dd data-field="agreed">${
      view.agreed
        ? html`${DEPLOYMENT_METHOD_LABELS[view.agreed]} (agreed ${when(iso.method_agreed_at ?? '')})`
        : html`none: the ISO's staff cannot start promotions`
    }</dd>
    ${
      view.proposal
        ? html`<dt>${view.status === 'DECLINED' ? 'Declined proposal' : 'Proposal'}</dt><dd data-field="proposal">${DEPLOYMENT_METHOD_LABELS[view.proposal]}${
            v.proposedBy ? html` · proposed by ${v.proposedBy}` : ''
          }${iso.method_proposed_at ? html` · ${when(iso.method_proposed_at)}` : ''}</dd>`
        : ''
    }
    ${view.declineReason ? html`<dt>Coordinator's reason</dt><dd data-field="decline-reason">${view.declineReason}</dd>` : ''}
    ${
      view.previous
        ? html`<dt>Previous method</dt><dd data-field="previous">${DEPLOYMENT_METHOD_LABELS[view.previous.method]}: drafts started under it are accepted until ${when(
            view.previous.acceptedUntil,
          )}</dd>`
        : ''
    }
  </dl>
  ${
    v.canPropose
      ? html`${postForm(
          viewer,
          `/console/isos/${id}/method/propose`,
          html`
    <label for="propose-${iso.id}">${view.agreed ? 'Propose a change of method' : 'Propose the deployment method'}</label>
    <select id="propose-${iso.id}" name="method">
      ${METHODS.map((m) => html`<option value="${m}"${m === (view.proposal ?? view.agreed) ? raw(' selected') : ''}>${DEPLOYMENT_METHOD_LABELS[m]}</option>`)}
    </select>
    <button type="submit">Propose to the coordinator</button>
    ${view.agreed ? html`<p class="muted">The agreed method stays in force until the coordinator agrees the new one.</p>` : ''}
  `,
        )}`
      : ''
  }
  ${
    v.canAgree && view.status === 'PROPOSED' && view.proposal
      ? html`${postForm(
          viewer,
          `/console/isos/${id}/method/agree`,
          html`
    <input type="hidden" name="method" value="${view.proposal}">
    <button type="submit">Agree to ${DEPLOYMENT_METHOD_LABELS[view.proposal]}</button>
  `,
        )}
  ${postForm(
    viewer,
    `/console/isos/${id}/method/decline`,
    html`
    <label for="decline-${iso.id}">Reason for declining (the ISO sees it)</label>
    <textarea id="decline-${iso.id}" name="reason" maxlength="500" rows="2"${failed ? raw(' aria-invalid="true" aria-describedby="decline-error"') : ''}>${failed?.reason ?? ''}</textarea>
    ${failed ? html`<p class="error" id="decline-error" role="alert">${failed.message}</p>` : ''}
    <button type="submit">Decline</button>
  `,
  )}`
      : ''
  }
  <p><a href="/console/isos/${id}/history">History</a></p>
</section>`
}

function accountsTable(viewer: Viewer, accounts: ConsoleAccountRow[], locales: readonly string[]): SafeHtml {
  return html`<section aria-labelledby="dingtalk-users">
  <h2 id="dingtalk-users">DingTalk users of ISO reviewers and coordinators</h2>
  <p class="muted">Each step of an agreement is sent to the other side as a DingTalk work notification: to the region's coordinators
  when an ISO proposes, to the ISO's reviewers when a coordinator agrees or declines. Enter each account's DingTalk user ID (the
  organisation's <code>userid</code>, as the DingTalk admin console shows it); an account without one is not notified and sees the
  agreement here.</p>
  <table>
  <caption class="sr-only">DingTalk users</caption>
  <thead><tr><th scope="col">Account</th><th scope="col">Role</th><th scope="col">DingTalk user ID and card language</th></tr></thead>
  <tbody>
  ${accounts.map(
    (a) => html`<tr data-account-id="${a.id}">
    <td>${a.name} <span class="muted">(${a.username})</span></td>
    <td>${ROLE_LABELS[a.role]}${a.iso_id ? html` · ${a.iso_id}` : ''}${a.region ? html` · ${a.region}` : ''}</td>
    <td>${postForm(
      viewer,
      `/console/accounts/${encodeURIComponent(a.id)}/dingtalk`,
      html`
      <label for="dt-${a.id}" class="sr-only">DingTalk user ID of ${a.name}</label>
      <input id="dt-${a.id}" name="dingtalkUserId" maxlength="64" size="16" value="${a.dingtalk_user_id ?? ''}">
      <label for="dtl-${a.id}" class="sr-only">Card language of ${a.name}</label>
      <select id="dtl-${a.id}" name="locale">
        ${locales.map((l) => html`<option value="${l}"${l === (a.locale ?? 'en') ? raw(' selected') : ''}>${l}</option>`)}
      </select>
      <button type="submit">Save</button>
    `,
    )}</td>
  </tr>`,
  )}
  </tbody>
  </table>
</section>`
}

export function renderMethodPage(viewer: Viewer, model: MethodPageModel): string {
  return page({
    title: 'Deployment method · ISO platform console',
    viewer,
    body: html`${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : ''}
${model.error ? html`<p class="error" role="alert">Not declined: <a href="#decline-${model.error.isoId}">${model.error.message}</a></p>` : ''}
<section aria-labelledby="method-intro">
  <h2 id="method-intro">Deployment method agreement</h2>
  <p>Each ISO confirms its deployment method with the Alipay+ regional coordinator before any deployment: the ISO's reviewer
  proposes a method, the coordinator of the ISO's region agrees or declines it with a reason. Until a method is agreed the
  ISO's staff cannot start promotions. A change of an agreed method follows the same steps; the agreed method stays in force
  until the new one is agreed, and drafts started under it are accepted for 7 more days.</p>
</section>
${model.isos.length === 0 ? html`<p class="muted">No ISO is in your scope.</p>` : model.isos.map((v) => isoCard(viewer, v, model.error))}
${model.accounts ? accountsTable(viewer, model.accounts, model.locales) : ''}`,
    nav: 'method',
  })
}
