import type { LookupOutcome, PaymentLookup } from './port'

/**
 * Development and tests only (a production server refuses PAYMENT_VERIFICATION=simulator): the stand-in for
 * Alipay+ that the server used before issue 25. A well-formed reference that ends in `0000` is not found;
 * every other one is a successful payment made just now, in a wallet called "Simulator".
 */
export function referenceFound(reference: string): boolean {
  return !reference.trim().endsWith('0000')
}

export function createSimulatorLookup(now: () => Date): PaymentLookup {
  return {
    checkedBy: 'SIMULATOR',
    describe: () => 'simulator (development only: any reference is a payment unless it ends in 0000)',
    async lookup(paymentId: string): Promise<LookupOutcome> {
      if (!referenceFound(paymentId)) return { kind: 'not_found' }
      return {
        kind: 'found',
        payment: {
          paymentId: paymentId.trim(),
          status: 'S',
          resultCode: 'SUCCESS',
          paymentTime: now().toISOString(),
          amount: null,
          walletBrandName: 'Simulator',
        },
      }
    },
  }
}

/** Manual review (PAYMENT_VERIFICATION=manual): nothing is looked up; a reviewer confirms or rejects each mode. */
export function createManualLookup(): PaymentLookup {
  return {
    checkedBy: 'REVIEWER',
    describe: () => 'manual review (nothing looked up: the Alipay+ reviewer confirms or rejects each payment mode)',
    lookup: () => Promise.reject(new Error('The manual payment lookup looks nothing up.')),
  }
}
