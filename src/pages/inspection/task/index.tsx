import '../../../i18n/sections/inspection'
import { Button, Text, View } from '@tarojs/components'
import { useLoad } from '@tarojs/taro'
import { observer } from 'mobx-react'
import { useEffect, useState } from 'react'
import { SPOT_CONDITIONS, type SpotCondition } from '../../../../types/inspection'
import { ChoiceChips } from '../../../components/choice-chips'
import { FieldError } from '../../../components/field-error'
import { FormField } from '../../../components/form-field'
import { OutboxCard } from '../../../components/outbox-card'
import { PaymentPanel } from '../../../components/payment-panel'
import { PhotoField } from '../../../components/photo-field'
import { SessionView } from '../../../components/session-view'
import { usePage } from '../../../components/use-page'
import { WizardBar } from '../../../components/wizard-bar'
import { useStore } from '../../../stores/context'
import { inspectionWizard, type InspectionWizard } from '../../../stores/inspection-wizard'
import { asButton } from '../../../components/a11y'

const YesNo = observer(function YesNo({ wizard, field, label }: { wizard: InspectionWizard; field: 'open' | 'sameStore'; label: string }) {
  const { i18n } = useStore()
  const value = wizard.draft.store[field]
  return (
    <ChoiceChips
      id={`check-${field}`}
      label={label}
      options={[
        { value: 'yes', label: i18n.t('inspect.yes') },
        { value: 'no', label: i18n.t('inspect.no') },
      ]}
      selected={value === null ? [] : [value ? 'yes' : 'no']}
      error={wizard.fieldError(`store.${field}`)}
      onToggle={(v) => wizard.setStoreCheck(field, v === 'yes')}
    />
  )
})

const StoreCheck = observer(function StoreCheck({ wizard }: { wizard: InspectionWizard }) {
  const { i18n } = useStore()
  const t = i18n.t
  useEffect(() => {
    if (!wizard.draft.store.location) void wizard.refreshLocation()
  }, [wizard])
  const distance = wizard.distance
  return (
    <View id='inspect-store'>
      <YesNo wizard={wizard} field='open' label={t('inspect.storeOpen')} />
      <YesNo wizard={wizard} field='sameStore' label={t('inspect.sameStore')} />
      <PhotoField id='inspect-storefront' label={t('inspect.storefrontNow')} photo={wizard.draft.store.storefrontPhoto} error={wizard.fieldError('store.storefrontPhotoId')} onTake={() => void wizard.takeStorefrontPhoto(t('inspect.storefrontNow'))} />
      {distance === null ? (
        <Text className='card__meta' id='inspect-no-location'>
          {t('inspect.noLocation')}
        </Text>
      ) : (
        <View className={`banner ${wizard.far ? 'banner--error' : ''}`} id='inspect-distance'>
          <Text>{t('inspect.distance', { distance })}</Text>
          {wizard.far ? <Text className='card__body'>{t('inspect.far')}</Text> : null}
        </View>
      )}
      <FormField id='inspect-store-feedback' label={t('inspect.storeFeedback')} hint={t('inspect.feedbackHint')} value={wizard.draft.store.feedback} error={wizard.fieldError('store.feedback')} maxlength={500} onInput={(v) => wizard.setStoreFeedback(v)} />
    </View>
  )
})

const SpotCheck = observer(function SpotCheck({ wizard, index }: { wizard: InspectionWizard; index: number }) {
  const { i18n } = useStore()
  const t = i18n.t
  const spot = wizard.task.spots[index]
  const draft = wizard.draft.spots[index]
  const comparison = wizard.comparison(index)
  const isCode = wizard.task.product === 'MARKETING_CODE'
  return (
    <View className='card' id={`inspect-spot-${index}`}>
      <Text className='card__title'>{t('inspect.spotTitle', { n: index + 1, position: t(`position.${spot.position}`) })}</Text>
      {spot.marketingCode ? <Text className='card__meta'>{t('inspect.boundCode', { code: spot.marketingCode })}</Text> : null}
      {spot.materialType ? <Text className='card__meta'>{t('inspect.material', { material: t(`material.${spot.materialType}`) })}</Text> : null}
      <ChoiceChips
        id={`inspect-spot-${index}-condition`}
        label={t('inspect.condition')}
        options={SPOT_CONDITIONS.map((c) => ({ value: c, label: t(`condition.${c}`) }))}
        selected={draft.condition ? [draft.condition] : []}
        error={wizard.fieldError(`spots.${index}.condition`)}
        onToggle={(v) => wizard.setCondition(index, v as SpotCondition)}
      />
      <PhotoField id={`inspect-spot-${index}-photo`} label={t('spot.photo')} photo={draft.photo} error={wizard.fieldError(`spots.${index}.photoId`)} onTake={() => void wizard.takeSpotPhoto(index, t('spot.photo'))} />
      {isCode ? (
        <View className='field'>
          <Button {...asButton}
            id={`inspect-spot-${index}-scan`}
            className='btn btn--secondary'
            onClick={() => void wizard.scanSpotCode(index, { title: t('action.scanCode'), placeholder: t('scan.placeholder'), confirm: t('action.confirm'), cancel: t('action.cancel') })}
          >
            {t('action.scanCode')}
          </Button>
          {comparison === 'MATCH' ? (
            <Text className='card__body card__body--ok' id={`inspect-spot-${index}-match`}>
              ✓ {t('inspect.codeMatch')}
            </Text>
          ) : null}
          {comparison === 'MISMATCH' ? (
            <Text className='card__body card__body--error' id={`inspect-spot-${index}-mismatch`}>
              {t('inspect.codeMismatch', { scanned: draft.scannedCode })}
            </Text>
          ) : null}
          <FieldError id={`inspect-spot-${index}-code-error`} code={wizard.fieldError(`spots.${index}.scannedCode`)} />
        </View>
      ) : null}
      <FormField id={`inspect-spot-${index}-feedback`} label={t('inspect.feedback')} hint={t('inspect.feedbackHint')} value={draft.feedback} error={wizard.fieldError(`spots.${index}.feedback`)} maxlength={500} onInput={(v) => wizard.setSpotFeedback(index, v)} />
    </View>
  )
})

const Summary = observer(function Summary({ wizard }: { wizard: InspectionWizard }) {
  const { i18n } = useStore()
  const t = i18n.t
  const d = wizard.draft
  return (
    <View id='inspect-summary'>
      <View className='card'>
        <Text className='card__title'>{t('inspect.step.store')}</Text>
        <Text className='card__body'>
          {t('inspect.storeOpen')}: {d.store.open ? t('inspect.yes') : t('inspect.no')} · {t('inspect.sameStore')}: {d.store.sameStore ? t('inspect.yes') : t('inspect.no')}
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
            {t(`payment.mode.${m}`)}: {d.payment[m].result?.status === 'PASSED' ? `✓ ${t('payment.passed')}` : '—'}
          </Text>
        ))}
      </View>
    </View>
  )
})

/** A Verification Task, on the same state-machine pattern as the promotion wizard. */
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
        </View>
      </View>
    )
  }
  const state = wizard.state
  const editing = state === 'store' || state === 'spots' || state === 'payment' || state === 'summary'
  const item = wizard.outboxItem
  return (
    <View className='page page--wizard' role='main'>
      <SessionView>
        <View className='page__body'>
          <Text className='card__title'>{wizard.task.store.name}</Text>
          <Text className='card__meta'>{wizard.task.store.address}</Text>
          <Text className='card__meta' id='inspect-progress'>
            {editing ? `${t('wizard.stepOf', { current: wizard.stepIndex + 1, total: 4 })} · ${t(`inspect.step.${wizard.draft.step}`)}` : t(`inspectionStatus.${wizard.task.status}`)}
          </Text>
          {editing && Object.keys(wizard.errors).length > 0 ? (
            <View className='banner banner--error' id='inspect-errors' role='alert'>
              <Text>{wizard.fieldError('payment') ? t('error.PAYMENT_NOT_VERIFIED') : t('wizard.fixErrors')}</Text>
            </View>
          ) : null}
          {state === 'store' ? <StoreCheck wizard={wizard} /> : null}
          {state === 'spots' ? (
            <View id='inspect-spots'>
              <Text className='card__meta'>{t('inspect.spotsDone', { done: wizard.spotsDone, total: wizard.draft.spots.length })}</Text>
              {wizard.draft.spots.map((s, i) => (
                <SpotCheck key={s.index} wizard={wizard} index={i} />
              ))}
            </View>
          ) : null}
          {state === 'payment' ? (
            <View id='inspect-payment'>
              <PaymentPanel verifier={wizard.payment} wallets={wizard.task.store.wallets} />
            </View>
          ) : null}
          {state === 'summary' ? <Summary wizard={wizard} /> : null}
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
        {editing ? (
          <WizardBar
            idPrefix='inspect'
            canGoBack={wizard.stepIndex > 0}
            atSummary={state === 'summary'}
            onBack={() => wizard.back()}
            onNext={() => wizard.advance()}
            onSubmit={() => wizard.submit()}
          />
        ) : null}
      </SessionView>
    </View>
  )
})
