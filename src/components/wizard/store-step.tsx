import { Button, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { useEffect } from 'react'
import { STORE_CATEGORIES, WALLETS, WALLET_NAMES, type StoreCategory, type Wallet } from '../../../packages/contract/promotion'
import { useStore } from '../../stores/context'
import type { PromotionWizard } from '../../stores/wizard-store'
import { ariaBool, asButton, pressable } from '../a11y'
import { ChoiceChips } from '../choice-chips'
import { FieldError } from '../field-error'
import { PhotoField } from '../photo-field'
import { PhotoCheckNote } from './photo-check-note'
import { BoundField } from './bound-field'

/** 1. Store information and a clear storefront photo, with the location from the device. */
export const StoreStep = observer(function StoreStep({ wizard }: { wizard: PromotionWizard }) {
  const { i18n } = useStore()
  const t = i18n.t
  const store = wizard.draft.store
  const walletsChosenInPayment = wizard.draft.method === 'VERIFY_THEN_DEPLOY'

  useEffect(() => {
    if (!wizard.draft.store.location) void wizard.refreshLocation()
  }, [wizard])

  return (
    <View id='step-store'>
      {wizard.rejection('store') !== null ? (
        <View className='banner banner--error' id='store-rejection' role='alert'>
          <Text>{t('modify.rejected', { reason: wizard.rejection('store') ?? '' })}</Text>
        </View>
      ) : null}
      <BoundField
        wizard={wizard}
        id='store-name'
        label='store.name'
        path='store.name'
        get={() => wizard.draft.store.name}
        set={(v) => wizard.setStore('name', v)}
        maxlength={100}
      />
      <BoundField
        wizard={wizard}
        id='store-address'
        label='store.address'
        path='store.address'
        get={() => wizard.draft.store.address}
        set={(v) => wizard.setStore('address', v)}
        maxlength={200}
      />
      <ChoiceChips
        id='category'
        label={t('store.category')}
        options={STORE_CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))}
        selected={store.category ? [store.category] : []}
        error={wizard.fieldError('store.category')}
        onToggle={(c) => wizard.setCategory(c as StoreCategory)}
      />
      <ChoiceChips
        id='wallet'
        label={t('store.wallets')}
        options={WALLETS.map((w) => ({ value: w, label: w === 'OTHER' ? t('category.OTHER') : WALLET_NAMES[w] }))}
        selected={store.wallets}
        error={wizard.fieldError('store.wallets')}
        disabled={walletsChosenInPayment}
        multiple
        onToggle={(w) => wizard.toggleWallet(w as Wallet)}
      />
      <BoundField
        wizard={wizard}
        id='store-openingTime'
        label='store.openingTime'
        path='store.openingTime'
        get={() => wizard.draft.store.openingTime}
        set={(v) => wizard.setStore('openingTime', v)}
        maxlength={5}
      />
      <BoundField
        wizard={wizard}
        id='store-closingTime'
        label='store.closingTime'
        path='store.closingTime'
        get={() => wizard.draft.store.closingTime}
        set={(v) => wizard.setStore('closingTime', v)}
        maxlength={5}
      />

      <View className={`field ${wizard.fieldError('store.managerConsent') ? 'field--error' : ''}`}>
        <View
          id='consent'
          className={`toggle ${store.managerConsent ? 'toggle--on' : ''}`}
          role='checkbox'
          ariaLabel={t('store.consent')}
          aria-checked={ariaBool(store.managerConsent)}
          aria-describedby={wizard.fieldError('store.managerConsent') ? 'consent-hint consent-error' : 'consent-hint'}
          {...pressable(() => wizard.setConsent(!store.managerConsent))}
          onClick={() => wizard.setConsent(!store.managerConsent)}
        >
          <Text className='toggle__box' aria-hidden='true'>
            {store.managerConsent ? '✓' : ''}
          </Text>
          <Text className='toggle__label'>{t('store.consent')}</Text>
        </View>
        <Text className='field__hint' id='consent-hint'>
          {t('store.consentHint')}
        </Text>
        <FieldError id='consent-error' code={wizard.fieldError('store.managerConsent')} />
      </View>

      <View className={`field ${wizard.fieldError('store.location') ? 'field--error' : ''}`} id='location-field'>
        <Text className='field__label'>{t('store.location')}</Text>
        {store.location ? (
          <Text className='card__body' id='location-value'>
            {t('store.locationValue', {
              lat: store.location.latitude.toFixed(5),
              lng: store.location.longitude.toFixed(5),
              accuracy: Math.round(store.location.accuracy ?? 0),
            })}
          </Text>
        ) : null}
        {store.location?.mocked ? <Text className='field__error'>{t('store.locationMocked')}</Text> : null}
        <Button {...asButton} id='get-location' className='btn btn--secondary' loading={wizard.locating} onClick={() => void wizard.refreshLocation()}>
          {t('action.getLocation')}
        </Button>
        <FieldError id='location-error' code={wizard.fieldError('store.location')} />
      </View>

      <PhotoField
        id='storefront-photo'
        label={t('store.storefront')}
        hint={t('store.storefrontHint')}
        photo={store.storefrontPhoto}
        error={wizard.fieldError('store.storefrontPhotoId')}
        onTake={() => void wizard.takeStorefrontPhoto(t('store.storefront'))}
      >
        <PhotoCheckNote
          id='storefront-photo'
          photo={store.storefrontPhoto}
          checking={wizard.checkingPhotos}
          onKeep={() => wizard.keepPhotoAnyway('store.storefrontPhotoId')}
        />
      </PhotoField>
    </View>
  )
})
