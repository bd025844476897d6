import type { PaymentMode, PaymentTool, Wallet } from '../promotion'

export const PAYMENT_MODES: readonly PaymentMode[] = ['MPM', 'UPM']

/** The verification tools the staff member chooses from (the specification: "Select Alipay or Alipay+ Linker"). */
export const PAYMENT_TOOLS: readonly PaymentTool[] = ['ALIPAY', 'ALIPAY_PLUS_LINKER']

/**
 * The specification's rule: a store that supports only Alipay is verified with the Alipay app (logged in
 * with the ISO's test account); any other store with Alipay+ Linker (logged in with the DingTalk account).
 */
export function requiredPaymentTool(wallets: readonly Wallet[]): PaymentTool | null {
  if (wallets.length === 0) return null
  return wallets.length === 1 && wallets[0] === 'ALIPAY' ? 'ALIPAY' : 'ALIPAY_PLUS_LINKER'
}

/** A transaction reference as the wallets show it: `AP` and 18 digits. */
export const PAYMENT_REFERENCE_PATTERN = /^AP\d{18}$/

export function isWellFormedReference(reference: string): boolean {
  return PAYMENT_REFERENCE_PATTERN.test(reference.trim())
}

/** Both modes verified (a passed record for each). */
export function bothModesPassed(records: ReadonlyArray<{ mode: PaymentMode; status: 'PASSED' | 'FAILED' }>): boolean {
  return PAYMENT_MODES.every((mode) => records.some((r) => r.mode === mode && r.status === 'PASSED'))
}

/**
 * The verification that counts for each mode: the latest one (records oldest first, as the server lists them). A
 * reviewer's rejection followed by new evidence for that mode is replaced by it; a mode with no record is absent.
 */
export function latestPerMode<T extends { mode: PaymentMode }>(records: readonly T[]): T[] {
  const latest = new Map<PaymentMode, T>()
  for (const r of records) latest.set(r.mode, r)
  const out: T[] = []
  for (const mode of PAYMENT_MODES) {
    const r = latest.get(mode)
    if (r) out.push(r)
  }
  return out
}
