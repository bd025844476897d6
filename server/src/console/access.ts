import type { ConsoleAccountRow, ConsoleRole } from '../repo/console-accounts'

/** What a console page or action needs. */
export type Capability =
  /** the Review List: association requests (an ISO reviewer: their ISO's) */
  | 'association'
  /** Staff Details (an ISO reviewer: their ISO's) */
  | 'staff'
  /** an ISO's spot limit (a coordinator: the ISOs of their region) */
  | 'isoSettings'
  /** propose the ISO's deployment method (an ISO reviewer: their ISO; no one else, not even an administrator) */
  | 'methodPropose'
  /** agree or decline a proposed method (a coordinator: the ISOs of their region; no one else) */
  | 'methodAgree'
  /** see the agreement's state and history */
  | 'methodView'
  /** an ISO's DingTalk department */
  | 'isoDingTalk'
  /** onboarding ISOs and editing their profile (name, ISO Email, region, time zone, department, spot limit) */
  | 'isoOnboarding'
  /** CSV exports of promotions and spots (an ISO reviewer: their ISO's) */
  | 'exports'
  /** the Alipay+ review queue, promotions, appeals and their photos */
  | 'promotions'
  /** spot-inspection assignment and results */
  | 'inspections'
  | 'notifications'
  | 'accounts'
  | 'audit'

const CAPABILITIES: Record<ConsoleRole, readonly Capability[]> = {
  iso_reviewer: ['association', 'staff', 'methodPropose', 'methodView', 'exports'],
  coordinator: ['isoSettings', 'methodAgree', 'methodView'],
  alipay_reviewer: ['promotions', 'inspections', 'exports'],
  // the agreement is between the ISO and its coordinator: an administrator sees it but takes no step in it
  admin: [
    'association',
    'staff',
    'isoSettings',
    'isoDingTalk',
    'isoOnboarding',
    'promotions',
    'inspections',
    'notifications',
    'accounts',
    'audit',
    'exports',
    'methodView',
  ],
}

/** Whether the account has any of these capabilities. */
export const canAny = (account: ConsoleAccountRow, needs: Capability | readonly Capability[]): boolean =>
  (typeof needs === 'string' ? [needs] : needs).some((c) => can(account, c))

export function can(account: ConsoleAccountRow, capability: Capability): boolean {
  return CAPABILITIES[account.role].includes(capability)
}

/** Whether the account's scope covers this ISO: its own ISO for an ISO reviewer, its region for a coordinator. */
export function coversIso(account: ConsoleAccountRow, iso: { id: string; region: string } | undefined | null): boolean {
  if (!iso) return account.role === 'admin'
  if (account.role === 'iso_reviewer') return iso.id === account.iso_id
  if (account.role === 'coordinator') return iso.region === account.region
  return true
}

/** Whether an ISO id (possibly null: a request to an unknown ISO) is in the account's scope. */
export function coversIsoId(account: ConsoleAccountRow, isoId: string | null, region: (id: string) => string | undefined): boolean {
  if (account.role === 'admin' || account.role === 'alipay_reviewer') return true
  if (isoId === null) return false
  const r = region(isoId)
  return r !== undefined && coversIso(account, { id: isoId, region: r })
}

/** The first page an account lands on. */
export function homeOf(account: ConsoleAccountRow): string {
  return account.role === 'alipay_reviewer' ? '/console/promotions' : '/console'
}
