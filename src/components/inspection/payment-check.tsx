import { View } from '@tarojs/components'
import { observer } from 'mobx-react'
import type { InspectionWizard } from '../../stores/inspection-wizard'
import { PaymentPanel } from '../payment-panel'

/** 3. The store's payment, verified again in both modes with the tool its wallets decide. */
export const PaymentCheck = observer(function PaymentCheck({ wizard }: { wizard: InspectionWizard }) {
  return (
    <View id='inspect-payment'>
      <PaymentPanel verifier={wizard.payment} wallets={wizard.task.store.wallets} />
    </View>
  )
})
