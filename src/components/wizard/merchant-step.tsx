import { View } from '@tarojs/components'
import { observer } from 'mobx-react'
import type { MerchantInput } from '../../../packages/contract/promotion'
import type { MessageKey } from '../../i18n'
import type { PromotionWizard } from '../../stores/wizard-store'
import { BoundField } from './bound-field'

const FIELDS: Array<{ field: keyof MerchantInput; label: MessageKey; maxlength: number }> = [
  { field: 'contactName', label: 'merchant.contactName', maxlength: 64 },
  { field: 'contactPhone', label: 'merchant.contactPhone', maxlength: 24 },
  { field: 'legalName', label: 'merchant.legalName', maxlength: 128 },
  { field: 'acquirerMerchantId', label: 'merchant.acquirerMerchantId', maxlength: 32 },
  { field: 'notes', label: 'merchant.notes', maxlength: 500 },
]

/** 3. Supplementary merchant information for a quick review. */
export const MerchantStep = observer(function MerchantStep({ wizard }: { wizard: PromotionWizard }) {
  return (
    <View id='step-merchant'>
      {FIELDS.map(({ field, label, maxlength }) => (
        <BoundField
          key={field}
          wizard={wizard}
          id={`merchant-${field}`}
          label={label}
          hint={field === 'contactPhone' ? 'field.phone.hint' : undefined}
          path={`merchant.${field}`}
          get={() => wizard.draft.merchant[field]}
          set={(v) => wizard.setMerchant(field, v)}
          maxlength={maxlength}
        />
      ))}
    </View>
  )
})
