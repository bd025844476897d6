import { Button, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { useEffect } from 'react'
import { useStore } from '../../stores/context'
import type { InspectionWizard } from '../../stores/inspection-wizard'
import { asButton } from '../a11y'
import { ChoiceChips } from '../choice-chips'
import { FieldError } from '../field-error'
import { FormField } from '../form-field'
import { PhotoField } from '../photo-field'
import { PhotoCheckNote } from '../wizard/photo-check-note'
import { RemotePhoto } from '../remote-photo'

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

/** 1. The store: open, the same store, a storefront photo now, the distance from its recorded place. */
export const StoreCheck = observer(function StoreCheck({ wizard }: { wizard: InspectionWizard }) {
  const { i18n } = useStore()
  const t = i18n.t
  useEffect(() => {
    if (!wizard.draft.store.location) void wizard.refreshLocation()
  }, [wizard])
  const distance = wizard.distance
  const deployedLabel = t('inspect.storefrontDeployed', { date: i18n.date(wizard.task.deployment.deployedAt) })
  return (
    <View id='inspect-store'>
      <YesNo wizard={wizard} field='open' label={t('inspect.storeOpen')} />
      <YesNo wizard={wizard} field='sameStore' label={t('inspect.sameStore')} />
      {/* the storefront as it was recorded at deployment, beside the photo taken now (issue 26, item 6) */}
      <View className='field' id='inspect-storefront-deployed'>
        <Text className='field__label'>{deployedLabel}</Text>
        <RemotePhoto uploadId={wizard.task.deployment.storefrontPhotoId} label={deployedLabel} />
      </View>
      <PhotoField
        id='inspect-storefront'
        label={t('inspect.storefrontNow')}
        photo={wizard.draft.store.storefrontPhoto}
        error={wizard.fieldError('store.storefrontPhotoId')}
        onTake={() => void wizard.takeStorefrontPhoto(t('inspect.storefrontNow'))}
      >
        <PhotoCheckNote
          id='inspect-storefront'
          photo={wizard.draft.store.storefrontPhoto}
          checking={wizard.checkingPhotos}
          onKeep={() => wizard.keepPhotoAnyway('store.storefrontPhotoId')}
        />
      </PhotoField>
      {distance === null ? (
        <View className={`field ${wizard.fieldError('store.location') ? 'field--error' : ''}`} id='inspect-location'>
          <Text className='card__meta' id='inspect-no-location'>
            {t('inspect.noLocation')}
          </Text>
          <Button
            {...asButton}
            id='inspect-get-location'
            className='btn btn--secondary'
            loading={wizard.locating}
            onClick={() => void wizard.refreshLocation()}
          >
            {t('action.getLocation')}
          </Button>
          <FieldError id='inspect-location-error' code={wizard.fieldError('store.location')} />
        </View>
      ) : (
        <View className={`banner ${wizard.far ? 'banner--error' : ''}`} id='inspect-distance'>
          <Text>{t('inspect.distance', { distance })}</Text>
          {wizard.far ? <Text className='card__body'>{t('inspect.far')}</Text> : null}
        </View>
      )}
      <FormField
        id='inspect-store-feedback'
        label={t('inspect.storeFeedback')}
        hint={t('inspect.feedbackHint')}
        value={wizard.draft.store.feedback}
        error={wizard.fieldError('store.feedback')}
        maxlength={500}
        onInput={(v) => wizard.setStoreFeedback(v)}
      />
    </View>
  )
})
