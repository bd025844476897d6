import { Button, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { MATERIAL_TYPES, SPOT_POSITIONS, type MaterialType, type SpotPosition } from '../../../packages/contract/promotion'
import { useStore } from '../../stores/context'
import type { PromotionWizard } from '../../stores/wizard-store'
import { asButton, pressable } from '../a11y'
import { ChoiceChips } from '../choice-chips'
import { FieldError } from '../field-error'
import { PhotoField } from '../photo-field'
import { PhotoCheckNote } from './photo-check-note'
import { BoundField } from './bound-field'

const SpotCard = observer(function SpotCard({ wizard, index }: { wizard: PromotionWizard; index: number }) {
  const { i18n } = useStore()
  const t = i18n.t
  const spot = wizard.draft.spots[index]
  if (!spot) return null
  const p = `spots.${index}`
  const codeError = wizard.fieldError(`${p}.marketingCode`)
  // issue 26: whether the spot photo shows the scanned code (known once the photo was checked)
  const codeInPhoto = wizard.codeInPhoto(index)
  return (
    <View className='card' id={`spot-${index}`}>
      <View className='card__row'>
        <Text className='card__title'>{t('spot.title', { n: index + 1 })}</Text>
        {wizard.draft.spots.length > 1 ? (
          <View
            id={`spot-${index}-remove`}
            className='link'
            role='button'
            {...pressable(() => wizard.removeSpot(index))}
            onClick={() => wizard.removeSpot(index)}
          >
            <Text>{t('action.remove')}</Text>
          </View>
        ) : null}
      </View>
      {wizard.rejection({ spot: spot.key }) !== null ? (
        <View className='banner banner--error' id={`spot-${index}-rejection`} role='alert'>
          <Text>{t('modify.rejected', { reason: wizard.rejection({ spot: spot.key }) ?? '' })}</Text>
        </View>
      ) : null}
      <ChoiceChips
        id={`spot-${index}-position`}
        label={t('spot.position')}
        options={SPOT_POSITIONS.map((o) => ({ value: o, label: t(`position.${o}`) }))}
        selected={spot.position ? [spot.position] : []}
        error={wizard.fieldError(`${p}.position`)}
        onToggle={(v) => wizard.setPosition(index, v as SpotPosition)}
      />
      {spot.position === 'OTHER' ? (
        <BoundField
          wizard={wizard}
          id={`spot-${index}-note`}
          label='spot.positionNote'
          path={`${p}.positionNote`}
          get={() => wizard.draft.spots[index]?.positionNote ?? ''}
          set={(v) => wizard.setSpot(index, 'positionNote', v)}
          maxlength={100}
        />
      ) : null}
      <PhotoField
        id={`spot-${index}-photo`}
        label={t('spot.photo')}
        photo={spot.photo}
        error={wizard.fieldError(`${p}.photoId`)}
        onTake={() => void wizard.takeSpotPhoto(index, t('spot.photo'))}
      >
        <PhotoCheckNote id={`spot-${index}-photo`} photo={spot.photo} checking={wizard.checkingPhotos} onKeep={() => wizard.keepPhotoAnyway(`${p}.photoId`)} />
      </PhotoField>
      {wizard.draft.product === 'MARKETING_CODE' ? (
        <View className={`field ${codeError ? 'field--error' : ''}`} id={`spot-${index}-code-field`}>
          <Text className='field__label'>{t('spot.code')}</Text>
          <Text className='field__hint'>{t('spot.codeHint')}</Text>
          {spot.marketingCode ? (
            <Text className='card__body card__body--strong' id={`spot-${index}-code`}>
              {spot.marketingCode}
            </Text>
          ) : null}
          <Button
            {...asButton}
            id={`spot-${index}-scan`}
            className='btn btn--secondary'
            loading={wizard.checkingCode.has(`${p}.marketingCode`)}
            onClick={() =>
              void wizard.scanSpotCode(index, {
                title: t('action.scanCode'),
                placeholder: t('scan.placeholder'),
                confirm: t('action.confirm'),
                cancel: t('action.cancel'),
              })
            }
          >
            {t('action.scanCode')}
          </Button>
          <FieldError id={`spot-${index}-code-error`} code={codeError} />
          {codeInPhoto && codeInPhoto !== 'MATCH' ? (
            <View className='photo-check' id={`spot-${index}-code-in-photo`} role='status'>
              <Text className='photo-check__text'>{t(`photoCheck.code${codeInPhoto}`)}</Text>
            </View>
          ) : null}
        </View>
      ) : (
        <ChoiceChips
          id={`spot-${index}-material`}
          label={t('spot.material')}
          options={MATERIAL_TYPES.map((o) => ({ value: o, label: t(`material.${o}`) }))}
          selected={spot.materialType ? [spot.materialType] : []}
          error={wizard.fieldError(`${p}.materialType`)}
          onToggle={(v) => wizard.setMaterial(index, v as MaterialType)}
        />
      )}
    </View>
  )
})

/** 2. POSM deployment spots: one or more, each with its position, a photo, and its code or material. */
export const SpotsStep = observer(function SpotsStep({ wizard }: { wizard: PromotionWizard }) {
  const { i18n } = useStore()
  const t = i18n.t
  const spotsError = wizard.fieldError('spots')
  return (
    <View id='step-spots'>
      {wizard.draft.spots.map((spot, i) => (
        <SpotCard key={spot.key} wizard={wizard} index={i} />
      ))}
      {spotsError ? (
        <View className='banner banner--error' id='spots-error' role='alert'>
          <Text>{t(`error.${spotsError}`)}</Text>
        </View>
      ) : null}
      <Text className='card__meta'>{t('spot.limit', { max: wizard.maxSpots })}</Text>
      <Button {...asButton} id='add-spot' className={`btn btn--secondary ${wizard.canAddSpot ? '' : 'btn--disabled'}`} onClick={() => wizard.addSpot()}>
        {t('action.addSpot')}
      </Button>
    </View>
  )
})
