import type { Clock } from '../clock'
import { createAlipayPlusLookup, type AlipayPlusClientDeps } from './alipayplus'
import type { PaymentSettings } from './config'
import type { PaymentLookup } from './port'
import { createManualLookup, createSimulatorLookup } from './simulator'

/**
 * The payment lookup the settings choose (payments/config.ts): Alipay+, manual review, or the simulator (also
 * when nothing is chosen: development mode and tests; a production server refuses to start so, see
 * paymentStartProblem).
 */
export function createPaymentLookup(
  settings: Pick<PaymentSettings, 'mode' | 'alipayPlus'> | null | undefined,
  clock: Clock,
  deps: AlipayPlusClientDeps = {},
): PaymentLookup {
  if (settings?.mode === 'manual') return createManualLookup()
  if (settings?.mode === 'alipayplus') {
    if (!settings.alipayPlus) throw new Error('PAYMENT_VERIFICATION=alipayplus without the ALIPAYPLUS_* settings.')
    return createAlipayPlusLookup(settings.alipayPlus, { now: () => clock.now(), ...deps })
  }
  return createSimulatorLookup(() => clock.now())
}
