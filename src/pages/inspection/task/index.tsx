import '../../../i18n/sections/inspection'
import { Button, Text, View } from '@tarojs/components'
import { useLoad } from '@tarojs/taro'
import { observer } from 'mobx-react'
import { useState, type ComponentType } from 'react'
import { asButton } from '../../../components/a11y'
import { PaymentCheck } from '../../../components/inspection/payment-check'
import { SpotsCheck } from '../../../components/inspection/spots-check'
import { StoreCheck } from '../../../components/inspection/store-check'
import { InspectionSummary } from '../../../components/inspection/summary'
import { OutboxCard } from '../../../components/outbox-card'
import { SessionView } from '../../../components/session-view'
import { usePage } from '../../../components/use-page'
import { WizardStepsBar } from '../../../components/wizard-bar'
import type { InspectionStep } from '../../../rules/inspection-draft'
import { useStore } from '../../../stores/context'
import { inspectionWizard, type InspectionWizard } from '../../../stores/inspection-wizard'
import { ErrorReference } from '../../../components/error-reference'

/** Each step's component (components/inspection), as the promotion wizard's page has its own. */
const STEPS: Record<InspectionStep, ComponentType<{ wizard: InspectionWizard }>> = {
  store: StoreCheck,
  spots: SpotsCheck,
  payment: PaymentCheck,
  summary: InspectionSummary,
}

/** A Verification Task: the inspection wizard (the wizard engine) decides which step it shows. */
export default observer(function InspectionPage() {
  usePage('title.inspection')
  const root = useStore()
  const { i18n, inspections, platform } = root
  const t = i18n.t
  const [id, setId] = useState<string | null>(null)
  useLoad((query: Record<string, string | undefined>) => {
    setId(query?.id ?? null)
    if (inspections.tasks.length === 0) void inspections.load()
  })
  const wizard = id ? inspectionWizard(root, id) : null
  if (!wizard) {
    return (
      <View className='page' role='main'>
        <View className='page__body'>
          <Text className='card__body'>{inspections.error ? t(`error.${inspections.error}`) : t('common.loading')}</Text>
          {inspections.error ? <ErrorReference requestId={inspections.errorRequestId} /> : null}
        </View>
      </View>
    )
  }
  const state = wizard.state
  const editing = wizard.editing
  const Step = editing ? STEPS[wizard.draft.step] : null
  const item = wizard.outboxItem
  return (
    <View className='page page--wizard' role='main'>
      <SessionView>
        <View className='page__body'>
          <Text className='card__title'>{wizard.task.store.name}</Text>
          <Text className='card__meta'>{wizard.task.store.address}</Text>
          <Text className='card__meta' id='inspect-progress'>
            {editing
              ? `${t('wizard.stepOf', { current: wizard.stepIndex + 1, total: wizard.steps.length })} · ${t(`inspect.step.${wizard.draft.step}`)}`
              : t(`inspectionStatus.${wizard.task.status}`)}
          </Text>
          {editing && Object.keys(wizard.errors).length > 0 ? (
            <View className='banner banner--error' id='inspect-errors' role='alert'>
              <Text>{wizard.fieldError('payment') ? t('error.PAYMENT_NOT_VERIFIED') : t('wizard.fixErrors')}</Text>
            </View>
          ) : null}
          {Step ? <Step wizard={wizard} /> : null}
          {state === 'submitted' ? (
            <View className='card' id='inspect-outcome' data-state='submitted'>
              <Text className='card__title'>{t('inspect.sent')}</Text>
              <Text className='badge' id='inspect-status'>
                {t(`inspectionStatus.${wizard.task.status}`)}
              </Text>
              <Button {...asButton} className='btn btn--secondary' id='to-tasks' onClick={() => platform.nav.back()}>
                {t('title.tasks')}
              </Button>
            </View>
          ) : null}
          {(state === 'submitting' || state === 'refused') && item ? (
            <View id='inspect-outcome' data-state={state}>
              <OutboxCard item={item} onEdit={() => wizard.back()} />
            </View>
          ) : null}
        </View>
        {editing ? <WizardStepsBar wizard={wizard} idPrefix='inspect' /> : null}
      </SessionView>
    </View>
  )
})
