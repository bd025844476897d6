import type { AssociationStatus } from '../api'

/** Promotions and inspections open only to associated staff. */
export function featuresUnlocked(status: AssociationStatus): boolean {
  return status === 'associated'
}

/** Whether the staff member may send an association request through the ISO platform QR now. */
export function canRequestAssociation(status: AssociationStatus): boolean {
  return status === 'none' || status === 'rejected' || status === 'invited'
}

/** Whether "I have joined Alipay Partners" applies: the ISO approved, or invited through DingTalk. */
export function canConfirmJoin(status: AssociationStatus): boolean {
  return status === 'approved' || status === 'invited'
}

/** The parsed content of an ISO's association QR code: `posm-workspace://associate?iso=<id>`. */
export function parseAssociationQr(text: string, prefix: string): { isoId: string | null } | null {
  const trimmed = text.trim()
  if (!trimmed.startsWith(prefix)) return null
  const rest = trimmed.slice(prefix.length)
  if (rest !== '' && !rest.startsWith('?')) return null
  const match = /[?&]iso=([A-Za-z0-9_-]{1,64})(?:&|$)/.exec(rest)
  return { isoId: match ? match[1] : null }
}
