import type { PaymentTool, Wallet } from '../../../packages/contract/promotion'
import { requiredPaymentTool } from '../../../packages/contract/rules/payment'
import { ApiError } from '../errors'

/** Why the ISO's rule names a tool for these wallets (the app shows the same reason, translated: payment.toolWhy.*). */
const REASONS: Record<PaymentTool, string> = {
  ALIPAY: 'The store supports only Alipay, so your ISO directs you to verify with the Alipay app (the ISO’s test account).',
  ALIPAY_PLUS_LINKER: 'The store supports other wallets, so your ISO directs you to verify with the Alipay+ Linker app (your DingTalk account).',
}

/**
 * The tool the staff member chose (Alipay or Alipay+ Linker) against the ISO's rule for the store's wallets
 * (rules/payment.ts): 422 WRONG_PAYMENT_TOOL with the reason when it is the other one. Nothing is recorded,
 * so the evidence the staff member entered stays theirs to send again with the right tool.
 */
export function checkPaymentTool(tool: PaymentTool, wallets: readonly Wallet[]): void {
  const required = requiredPaymentTool(wallets)
  if (required && tool !== required) throw new ApiError(422, 'WRONG_PAYMENT_TOOL', REASONS[required], { tool: 'WRONG_PAYMENT_TOOL' })
}
