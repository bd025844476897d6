import { Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { useStore } from '../../stores/context'
import type { InspectionWizard } from '../../stores/inspection-wizard'
import { passedLabelKey } from '../../rules/payment-label'

/** 4. What will be sent. */
export const InspectionSummary = observer(function InspectionSummary({ wizard }: { wizard: InspectionWizard }) {
  const { i18n } = useStore()
  const t = i18n.t
  const d = wizard.draft
  return (
    <View id='inspect-summary'>
      <View className='card'>
        <Text className='card__title'>{t('inspect.step.store')}</Text>
        <Text className='card__body'>
          {t('inspect.storeOpen')}: {d.store.open ? t('inspect.yes') : t('inspect.no')} · {t('inspect.sameStore')}:{' '}
          {d.store.sameStore ? t('inspect.yes') : t('inspect.no')}
        </Text>
        {wizard.distance !== null ? <Text className='card__meta'>{t('inspect.distance', { distance: wizard.distance })}</Text> : null}
      </View>
      <View className='card'>
        <Text className='card__title'>{t('inspect.spotsDone', { done: wizard.spotsDone, total: d.spots.length })}</Text>
        {d.spots.map((s, i) => (
          <Text key={s.index} className='card__body'>
            {t('spot.title', { n: i + 1 })}: {s.condition ? t(`condition.${s.condition}`) : '—'}
            {s.feedback ? ` · ${s.feedback}` : ''}
          </Text>
        ))}
      </View>
      <View className='card'>
        <Text className='card__title'>{t('summary.payment')}</Text>
        {(['MPM', 'UPM'] as const).map((m) => (
          <Text key={m} className='card__body'>
            {t(`payment.mode.${m}`)}: {d.payment[m].result?.status === 'PASSED' ? `✓ ${t(passedLabelKey(d.payment[m].result ?? {}))}` : '—'}
          </Text>
        ))}
      </View>
    </View>
  )
})
