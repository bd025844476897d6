import type { DeploymentMethod } from '../../../packages/contract/api'
import { agreementStatus, toAgreementView } from '../../../packages/contract/rules/method-agreement'
import type { Clock } from '../clock'
import type { Db } from '../db'
import type { NotificationService } from '../notifications/service'
import type { Repos } from '../repo'
import type { Actor } from '../repo/audit'
import { agreementOf, type IsoRow } from '../repo/isos'

export type AgreementResult =
  | { ok: true; iso: IsoRow }
  | { ok: false; problem: 'not_found' }
  /** propose: this method is in force already and nothing else is proposed */
  | { ok: false; problem: 'already_agreed'; iso: IsoRow }
  /** agree / decline: nothing awaits the coordinator */
  | { ok: false; problem: 'not_proposed'; iso: IsoRow }
  /** agree: the ISO proposed another method since the coordinator's page was shown */
  | { ok: false; problem: 'proposal_changed'; iso: IsoRow }

/** What the audit trail records of an agreement, before and after a step. */
function snapshot(iso: IsoRow) {
  const a = agreementOf(iso)
  return { status: agreementStatus(a), agreed: a.agreedMethod, proposal: a.proposalState ? a.proposal : null }
}

/**
 * The deployment method's agreement (packages/contract/rules/method-agreement.ts): the ISO's reviewer
 * proposes, the coordinator of the ISO's region agrees or declines with a reason. Who may take which step is
 * the console's access policy (access.ts: methodPropose, methodAgree, and the account's scope); this service
 * keeps the states, writes each step to the audit trail and notifies the other side through DingTalk, all in
 * the step's transaction.
 */
export function createMethodAgreementService({ db, repos, clock, notifications }: { db: Db; repos: Repos; clock: Clock; notifications: NotificationService }) {
  async function notifyAll(accounts: Array<{ id: string }>, key: string, event: Parameters<NotificationService['enqueueForAccount']>[2]): Promise<void> {
    for (const account of accounts) await notifications.enqueueForAccount(`${key}:${account.id}`, account.id, event)
  }

  const propose = async (actor: Actor, isoId: string, method: DeploymentMethod): Promise<AgreementResult> => {
    const before = await repos.isos.findById(isoId)
    if (!before) return { ok: false, problem: 'not_found' }
    const state = agreementOf(before)
    if (state.agreedMethod === method && state.proposalState !== 'PROPOSED') return { ok: false, problem: 'already_agreed', iso: before }
    const at = clock.now().toISOString()
    await repos.isos.proposeMethod(isoId, method, actor.id, at)
    const iso = (await repos.isos.findById(isoId)) as IsoRow
    await repos.audit.append(actor, at, {
      action: 'iso.method.propose',
      subjectType: 'iso',
      subjectId: isoId,
      isoId,
      before: snapshot(before),
      after: snapshot(iso),
    })
    await notifyAll(await repos.consoleAccounts.coordinatorsOf(iso.region), `method:${isoId}:${at}:proposed`, {
      kind: 'METHOD_PROPOSED',
      params: { isoId, iso: iso.name, method },
    })
    return { ok: true, iso }
  }

  const agree = async (actor: Actor, isoId: string, method: DeploymentMethod): Promise<AgreementResult> => {
    const before = await repos.isos.findById(isoId)
    if (!before) return { ok: false, problem: 'not_found' }
    if (before.method_proposal_state !== 'PROPOSED' || !before.method_proposal) return { ok: false, problem: 'not_proposed', iso: before }
    if (before.method_proposal !== method) return { ok: false, problem: 'proposal_changed', iso: before }
    const at = clock.now().toISOString()
    await repos.isos.agreeMethod(isoId, at)
    const iso = (await repos.isos.findById(isoId)) as IsoRow
    await repos.audit.append(actor, at, {
      action: 'iso.method.agree',
      subjectType: 'iso',
      subjectId: isoId,
      isoId,
      before: snapshot(before),
      after: { ...snapshot(iso), previous: toAgreementView(agreementOf(iso)).previous },
    })
    await notifyAll(await repos.consoleAccounts.isoReviewersOf(isoId), `method:${isoId}:${at}:agreed`, {
      kind: 'METHOD_AGREED',
      params: { isoId, iso: iso.name, method },
    })
    return { ok: true, iso }
  }

  const decline = async (actor: Actor, isoId: string, reason: string): Promise<AgreementResult> => {
    const before = await repos.isos.findById(isoId)
    if (!before) return { ok: false, problem: 'not_found' }
    if (before.method_proposal_state !== 'PROPOSED' || !before.method_proposal) return { ok: false, problem: 'not_proposed', iso: before }
    const at = clock.now().toISOString()
    await repos.isos.declineMethod(isoId, reason)
    const iso = (await repos.isos.findById(isoId)) as IsoRow
    await repos.audit.append(actor, at, {
      action: 'iso.method.decline',
      subjectType: 'iso',
      subjectId: isoId,
      isoId,
      before: snapshot(before),
      after: snapshot(iso),
      reason,
    })
    await notifyAll(await repos.consoleAccounts.isoReviewersOf(isoId), `method:${isoId}:${at}:declined`, {
      kind: 'METHOD_DECLINED',
      params: { isoId, iso: iso.name, method: before.method_proposal, reason },
    })
    return { ok: true, iso }
  }

  return {
    propose: (actor: Actor, isoId: string, method: DeploymentMethod) => db.transaction(() => propose(actor, isoId, method)),
    agree: (actor: Actor, isoId: string, method: DeploymentMethod) => db.transaction(() => agree(actor, isoId, method)),
    decline: (actor: Actor, isoId: string, reason: string) => db.transaction(() => decline(actor, isoId, reason)),
  }
}

export type MethodAgreementService = ReturnType<typeof createMethodAgreementService>
