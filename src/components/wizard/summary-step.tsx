import { Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { WALLET_NAMES } from '../../../packages/contract/promotion'
import type { StepName } from '../../rules/promotion-draft'
import { useStore } from '../../stores/context'
import type { PromotionWizard } from '../../stores/wizard-store'
import { pressable } from '../a11y'
import { passedLabelKey } from '../../rules/payment-label'

/** 4. A summary of everything entered; each part can be revisited before Submit. */
export const SummaryStep = observer(function SummaryStep({ wizard }: { wizard: PromotionWizard }) {
  const { i18n } = useStore()
  const t = i18n.t
  const d = wizard.draft
  const edit = (step: StepName) => (
    <View className='link' id={`edit-${step}`} role='button' {...pressable(() => wizard.goTo(step))} onClick={() => wizard.goTo(step)}>
      <Text>{t('action.edit')}</Text>
    </View>
  )
  return (
    <View id='step-summary'>
      {d.method === 'VERIFY_THEN_DEPLOY' ? (
        <View className='card'>
          <View className='card__row'>
            <Text className='card__title'>{t('summary.payment')}</Text>
            {edit('payment')}
          </View>
          {(['MPM', 'UPM'] as const).map((m) => (
            <Text key={m} className='card__body'>
              {t(`payment.mode.${m}`)}:{' '}
              {d.payment[m].result?.status === 'PASSED' ? `✓ ${t(passedLabelKey(d.payment[m].result ?? {}))} (${d.payment[m].reference})` : '—'}
            </Text>
          ))}
        </View>
      ) : (
        <View className='card'>
          <Text className='card__title'>{t('summary.payment')}</Text>
          <Text className='card__body'>{t('summary.paymentLater')}</Text>
        </View>
      )}
      <View className='card' id='summary-store'>
        <View className='card__row'>
          <Text className='card__title'>{t('summary.store')}</Text>
          {edit('store')}
        </View>
        <Text className='card__body card__body--strong'>{d.store.name}</Text>
        <Text className='card__body'>{d.store.address}</Text>
        <Text className='card__body'>
          {d.store.category ? t(`category.${d.store.category}`) : ''} · {d.store.wallets.map((w) => WALLET_NAMES[w]).join(', ')}
        </Text>
        <Text className='card__body'>
          {d.store.openingTime}–{d.store.closingTime}
        </Text>
      </View>
      <View className='card' id='summary-spots'>
        <View className='card__row'>
          <Text className='card__title'>{t('summary.spots', { count: d.spots.length })}</Text>
          {edit('spots')}
        </View>
        {d.spots.map((s, i) => {
          // issue 26: said once more before Submit when a spot photo does not show its scanned code
          const codeInPhoto = wizard.codeInPhoto(i)
          return (
            <View key={s.key}>
              <Text className='card__body'>
                {t('spot.title', { n: i + 1 })}: {s.position ? t(`position.${s.position}`) : ''} ·{' '}
                {d.product === 'MARKETING_CODE' ? s.marketingCode : s.materialType ? t(`material.${s.materialType}`) : ''}
              </Text>
              {codeInPhoto && codeInPhoto !== 'MATCH' ? (
                <Text className='field__hint' id={`summary-spot-${i}-code-in-photo`}>
                  {t(`photoCheck.code${codeInPhoto}`)}
                </Text>
              ) : null}
            </View>
          )
        })}
      </View>
      <View className='card' id='summary-merchant'>
        <View className='card__row'>
          <Text className='card__title'>{t('summary.merchant')}</Text>
          {edit('merchant')}
        </View>
        <Text className='card__body'>{d.merchant.legalName}</Text>
        <Text className='card__body'>
          {d.merchant.contactName} · {d.merchant.contactPhone}
        </Text>
      </View>
    </View>
  )
})
