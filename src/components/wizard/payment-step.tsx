import { observer } from 'mobx-react'
import type { PromotionWizard } from '../../stores/wizard-store'
import { PaymentPanel } from '../payment-panel'

/** 0. Verify-Then-Deploy: the store's wallets, then its payment verified in both modes. */
export const PaymentStep = observer(function PaymentStep({ wizard }: { wizard: PromotionWizard }) {
  return (
    <PaymentPanel
      verifier={wizard.payment}
      wallets={wizard.draft.store.wallets}
      onToggleWallet={(w) => wizard.toggleWallet(w)}
      walletsError={wizard.fieldError('store.wallets')}
    />
  )
})
