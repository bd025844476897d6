import { Button, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { SPOT_CONDITIONS, type SpotCondition } from '../../../packages/contract/inspection'
import { useStore } from '../../stores/context'
import type { InspectionWizard } from '../../stores/inspection-wizard'
import { asButton } from '../a11y'
import { ChoiceChips } from '../choice-chips'
import { FieldError } from '../field-error'
import { FormField } from '../form-field'
import { PhotoField } from '../photo-field'
import { PhotoCheckNote } from '../wizard/photo-check-note'
import { RemotePhoto } from '../remote-photo'

/** One spot: what was found, a photo, the code compared with the bound one, feedback where wrong. */
const SpotCheck = observer(function SpotCheck({ wizard, index }: { wizard: InspectionWizard; index: number }) {
  const { i18n } = useStore()
  const t = i18n.t
  const spot = wizard.task.spots[index]
  const draft = wizard.draft.spots[index]
  const comparison = wizard.comparison(index)
  const codeInPhoto = wizard.codeInPhoto(index)
  const isCode = wizard.task.product === 'MARKETING_CODE'
  return (
    <View className='card' id={`inspect-spot-${index}`}>
      <Text className='card__title'>{t('inspect.spotTitle', { n: index + 1, position: t(`position.${spot.position}`) })}</Text>
      {spot.marketingCode ? <Text className='card__meta'>{t('inspect.boundCode', { code: spot.marketingCode })}</Text> : null}
      {spot.materialType ? <Text className='card__meta'>{t('inspect.material', { material: t(`material.${spot.materialType}`) })}</Text> : null}
      {/* the spot as it was photographed at deployment */}
      <View className='field' id={`inspect-spot-${index}-deployed`}>
        <Text className='field__label'>{t('inspect.spotDeployed')}</Text>
        <RemotePhoto
          uploadId={spot.deployedPhotoId}
          label={`${t('inspect.spotTitle', { n: index + 1, position: t(`position.${spot.position}`) })} — ${t('inspect.spotDeployed')}`}
        />
      </View>
      <ChoiceChips
        id={`inspect-spot-${index}-condition`}
        label={t('inspect.condition')}
        options={SPOT_CONDITIONS.map((c) => ({ value: c, label: t(`condition.${c}`) }))}
        selected={draft.condition ? [draft.condition] : []}
        error={wizard.fieldError(`spots.${index}.condition`)}
        onToggle={(v) => wizard.setCondition(index, v as SpotCondition)}
      />
      <PhotoField
        id={`inspect-spot-${index}-photo`}
        label={t('spot.photo')}
        photo={draft.photo}
        error={wizard.fieldError(`spots.${index}.photoId`)}
        onTake={() => void wizard.takeSpotPhoto(index, t('spot.photo'))}
      >
        <PhotoCheckNote
          id={`inspect-spot-${index}-photo`}
          photo={draft.photo}
          checking={wizard.checkingPhotos}
          onKeep={() => wizard.keepPhotoAnyway(`spots.${index}.photoId`)}
        />
      </PhotoField>
      {isCode ? (
        <View className='field'>
          <Button
            {...asButton}
            id={`inspect-spot-${index}-scan`}
            className='btn btn--secondary'
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
          {codeInPhoto && codeInPhoto !== 'MATCH' ? (
            <View className='photo-check' id={`inspect-spot-${index}-code-in-photo`} role='status'>
              <Text className='photo-check__text'>{t(`photoCheck.code${codeInPhoto}`)}</Text>
            </View>
          ) : null}
        </View>
      ) : null}
      <FormField
        id={`inspect-spot-${index}-feedback`}
        label={t('inspect.feedback')}
        hint={t('inspect.feedbackHint')}
        value={draft.feedback}
        error={wizard.fieldError(`spots.${index}.feedback`)}
        maxlength={500}
        onInput={(v) => wizard.setSpotFeedback(index, v)}
      />
    </View>
  )
})

/** 2. Every spot of the task. */
export const SpotsCheck = observer(function SpotsCheck({ wizard }: { wizard: InspectionWizard }) {
  const { i18n } = useStore()
  return (
    <View id='inspect-spots'>
      <Text className='card__meta'>{i18n.t('inspect.spotsDone', { done: wizard.spotsDone, total: wizard.draft.spots.length })}</Text>
      {wizard.draft.spots.map((s, i) => (
        <SpotCheck key={s.index} wizard={wizard} index={i} />
      ))}
    </View>
  )
})
