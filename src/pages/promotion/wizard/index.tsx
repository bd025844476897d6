import '../../../i18n/sections/promotion'
import { Button, Text, View } from '@tarojs/components'
import { useLoad } from '@tarojs/taro'
import { observer } from 'mobx-react'
import { useState, type ComponentType } from 'react'
import { OutboxCard } from '../../../components/outbox-card'
import { SessionView } from '../../../components/session-view'
import { usePage } from '../../../components/use-page'
import { WizardStepsBar } from '../../../components/wizard-bar'
import { PaymentStep } from '../../../components/wizard/payment-step'
import { MerchantStep } from '../../../components/wizard/merchant-step'
import { SpotsStep } from '../../../components/wizard/spots-step'
import { StoreStep } from '../../../components/wizard/store-step'
import { SummaryStep } from '../../../components/wizard/summary-step'
import type { StepName } from '../../../rules/promotion-draft'
import { useStore } from '../../../stores/context'
import { promotionWizard, type PromotionWizard } from '../../../stores/wizard-store'
import { asButton } from '../../../components/a11y'

/** Each step's component (components/wizard), as the inspection wizard's page has its own. */
const STEPS: Record<StepName, ComponentType<{ wizard: PromotionWizard }>> = {
  payment: PaymentStep,
  store: StoreStep,
  spots: SpotsStep,
  merchant: MerchantStep,
  summary: SummaryStep,
}

/** After Submit: on its way (outbox), sent, or refused with the reason (Modify). */
const Outcome = observer(function Outcome({ wizard }: { wizard: PromotionWizard }) {
  const { i18n, platform } = useStore()
  const t = i18n.t
  const item = wizard.outboxItem
  if (!item) return null
  if (wizard.state === 'submitted') {
    const awaiting = item.promotion?.status === 'AWAITING_PAYMENT_VERIFICATION'
    return (
      <View className='card' id='wizard-outcome' data-state='submitted'>
        <Text className='card__title'>{awaiting ? t('wizard.sentAwaitingPayment') : t('wizard.sent')}</Text>
        {item.promotion ? <Text className='badge'>{t(`promotionStatus.${item.promotion.status}`)}</Text> : null}
        {awaiting && item.promotion ? (
          <Button
            {...asButton}
            id='verify-now'
            className='btn btn--primary'
            onClick={() => platform.nav.replace(`/pages/promotion/verify/index?id=${item.promotion?.id}`)}
          >
            {t('action.verifyPayment')}
          </Button>
        ) : null}
        {item.promotion ? (
          <Button
            {...asButton}
            id='to-result'
            className='btn btn--secondary'
            onClick={() => platform.nav.replace(`/pages/results/detail/index?id=${item.promotion?.id}`)}
          >
            {t('action.viewResults')}
          </Button>
        ) : null}
        <Button {...asButton} id='to-drafts' className='btn btn--secondary' onClick={() => platform.nav.replace('/pages/promotion/drafts/index')}>
          {t('action.openDrafts')}
        </Button>
      </View>
    )
  }
  return (
    <View id='wizard-outcome' data-state={wizard.state}>
      {wizard.state === 'submitting' ? <Text className='card__body'>{t('wizard.queued')}</Text> : null}
      <OutboxCard item={item} onEdit={() => wizard.back()} />
    </View>
  )
})

/**
 * The ISO's deployment method changed since this draft was started: what changed, until when the draft may
 * still be submitted as it was started, and the way forward (its steps under the new method, nothing lost).
 */
const MethodChange = observer(function MethodChange({ wizard }: { wizard: PromotionWizard }) {
  const { i18n, workspace } = useStore()
  const t = i18n.t
  const change = wizard.methodChange
  if (!change) return null
  const previous = workspace.info?.methodAgreement?.previous
  const names = { old: t(`method.${change.from}`), new: t(`method.${change.to}`) }
  const date = previous ? i18n.date(previous.changedAt, 'LL') : ''
  return (
    <View className={`banner ${change.mustMove ? 'banner--error' : ''}`} id='method-changed' data-must-move={change.mustMove ? 'true' : 'false'}>
      <Text className='card__title'>{t('methodChange.title')}</Text>
      <Text className='card__body'>
        {change.mustMove || !previous
          ? t('methodChange.expired', { ...names, date })
          : t('methodChange.grace', { ...names, date, until: i18n.date(previous.acceptedUntil, 'LLL') })}
      </Text>
      <Text className='card__meta'>{t(change.to === 'VERIFY_THEN_DEPLOY' ? 'methodChange.addsPayment' : 'methodChange.dropsPayment')}</Text>
      <Button {...asButton} id='method-continue' className='btn btn--primary' onClick={() => wizard.continueUnderAgreedMethod()}>
        {t('action.continueUnderMethod', { method: names.new })}
      </Button>
    </View>
  )
})

/** The promotion wizard: one page, the state machine decides what it shows. */
export default observer(function WizardPage() {
  usePage('title.promotion')
  const root = useStore()
  const { i18n, workspace } = root
  const t = i18n.t
  const [draftId, setDraftId] = useState<string | null>(null)

  useLoad((query: Record<string, string | undefined>) => {
    setDraftId(query?.draft ?? null)
    if (!workspace.info) void workspace.load()
  })

  const wizard = draftId ? promotionWizard(root, draftId) : null
  if (!wizard) {
    return (
      <View className='page' role='main'>
        <View className='page__body'>
          <Text className='card__body'>{draftId ? t('drafts.empty') : t('common.loading')}</Text>
          <Button {...asButton} className='btn btn--secondary' onClick={() => root.platform.nav.replace('/pages/promotion/drafts/index')}>
            {t('action.openDrafts')}
          </Button>
        </View>
      </View>
    )
  }
  const editing = wizard.editing
  const Step = editing ? STEPS[wizard.draft.step] : null
  const hasErrors = Object.keys(wizard.errors).length > 0
  return (
    <View className='page page--wizard' role='main'>
      <SessionView>
        <View className='page__body'>
          <View className='wizard__head'>
            <Text className='card__title'>{t(`product.${wizard.outboxItem?.product ?? wizard.draft.product}`)}</Text>
            {editing ? (
              <View>
                <Text className='card__meta' id='wizard-method'>
                  {t('wizard.method', { method: t(`method.${wizard.draft.method}`) })}
                </Text>
                <Text className='card__meta' id='wizard-progress'>
                  {t('wizard.stepOf', { current: wizard.stepIndex + 1, total: wizard.steps.length })} · {t(`wizard.step.${wizard.draft.step}`)}
                </Text>
                <Text className='card__meta'>{t('wizard.saved')}</Text>
              </View>
            ) : null}
          </View>
          {editing ? <MethodChange wizard={wizard} /> : null}
          {editing && wizard.draft.modifyOf ? (
            <View className='banner' id='modify-banner'>
              <Text>{t('modify.banner')}</Text>
            </View>
          ) : null}
          {root.drafts.storageFull || root.outbox.storageFull ? (
            <View className='banner banner--error' role='alert' id='storage-full'>
              <Text>{t('storage.full')}</Text>
            </View>
          ) : null}
          {editing && hasErrors ? (
            <View className='banner banner--error' id='wizard-errors' role='alert'>
              <Text>
                {wizard.fieldError('method')
                  ? t(`error.${wizard.fieldError('method') ?? 'METHOD_CHANGED'}`)
                  : wizard.fieldError('payment')
                    ? t('error.PAYMENT_NOT_VERIFIED')
                    : wizard.fieldError('store.openingTime') === 'OUTSIDE_BUSINESS_HOURS'
                      ? t('store.outsideHours')
                      : t('wizard.fixErrors')}
              </Text>
            </View>
          ) : null}
          {Step ? <Step wizard={wizard} /> : <Outcome wizard={wizard} />}
        </View>
        {editing ? <WizardStepsBar wizard={wizard} idPrefix='wizard' /> : null}
      </SessionView>
    </View>
  )
})
