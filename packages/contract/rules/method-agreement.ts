/**
 * The deployment method is agreed, not set (specification: "Each ISO must confirm the deployment method with
 * their respective Alipay+ regional coordinators via DingTalk workspace prior to any Alipay+ POSM deployment
 * and shall follow the agreed method"). Per ISO:
 *
 *   NOT_AGREED → PROPOSED (the ISO's reviewer, with a method) → AGREED (the coordinator of the ISO's region)
 *                                                            → DECLINED (with a reason; the ISO proposes again)
 *
 * A change of an agreed method goes through the same steps while the agreed one stays in force. Once a new
 * method is agreed, work started under the previous one is accepted for GRACE_DAYS more (the rule of
 * `methodAccepted`); after that a draft moves to the new method's steps, keeping everything in it.
 */
import type { DeploymentMethod, MethodAgreementStatus, MethodAgreementView } from '../promotion'

export type { MethodAgreementStatus, MethodAgreementView }

/** Days after a change is agreed during which work started under the previous method is still accepted. */
export const METHOD_GRACE_DAYS = 7

/** What the server keeps of an agreement (one ISO). */
export interface MethodAgreementState {
  agreedMethod: DeploymentMethod | null
  proposal: DeploymentMethod | null
  proposalState: 'PROPOSED' | 'DECLINED' | null
  declineReason: string | null
  previousMethod: DeploymentMethod | null
  changedAt: string | null
}

export function agreementStatus(s: MethodAgreementState): MethodAgreementStatus {
  if (s.proposalState === 'PROPOSED') return 'PROPOSED'
  if (s.proposalState === 'DECLINED') return 'DECLINED'
  return s.agreedMethod ? 'AGREED' : 'NOT_AGREED'
}

/** The end of the grace period after a change agreed at `changedAt`. */
export function graceEnd(changedAt: string): string {
  return new Date(new Date(changedAt).getTime() + METHOD_GRACE_DAYS * 24 * 60 * 60 * 1000).toISOString()
}

export function toAgreementView(s: MethodAgreementState): MethodAgreementView {
  return {
    status: agreementStatus(s),
    agreed: s.agreedMethod,
    proposal: s.proposalState ? s.proposal : null,
    declineReason: s.proposalState === 'DECLINED' ? s.declineReason : null,
    previous:
      s.previousMethod && s.changedAt && s.previousMethod !== s.agreedMethod
        ? { method: s.previousMethod, changedAt: s.changedAt, acceptedUntil: graceEnd(s.changedAt) }
        : null,
  }
}

/**
 * Whether work started under `method` is accepted now: the method in force always; the method in force
 * before the last change until the grace period ends. Never before a method is agreed.
 */
export function methodAccepted(view: Pick<MethodAgreementView, 'agreed' | 'previous'>, method: DeploymentMethod, now: Date): 'ok' | 'not_agreed' | 'changed' {
  if (!view.agreed) return 'not_agreed'
  if (method === view.agreed) return 'ok'
  if (view.previous && view.previous.method === method && now.getTime() <= new Date(view.previous.acceptedUntil).getTime()) return 'ok'
  return 'changed'
}
