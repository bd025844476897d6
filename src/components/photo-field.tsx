import { Button, Image, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { useEffect, useState } from 'react'
import type { ErrorCode } from '../../packages/contract/errors'
import type { PhotoRef } from '../rules/promotion-draft'
import { useStore } from '../stores/context'
import { FieldError } from './field-error'
import { asButton } from './a11y'

interface PhotoFieldProps {
  id: string
  label: string
  hint?: string
  photo: PhotoRef | null
  error: ErrorCode | null
  onTake: () => void
  /** Issue 26: Keep anyway, when the server's check warned about the photo (absent: no check for this photo). */
  onKeep?: () => void
  /** Issue 26: the photo's check is under way (uploaded right after capture). */
  checking?: boolean
}

/** The URL to show a photo (kept on the device or on the server), once known. */
export function usePhotoUrl(path: string | null): string | null {
  const { photos } = useStore()
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    setUrl(null)
    if (path)
      void photos.displayUrl(path).then(
        (u) => live && setUrl(u),
        () => undefined,
      )
    return () => {
      live = false
    }
  }, [path, photos])
  return url
}

/** A photo taken with the camera: its thumbnail (the file, never its data in page state) and the button. */
export const PhotoField = observer(function PhotoField({ id, label, hint, photo, error, onTake, onKeep, checking }: PhotoFieldProps) {
  const { i18n } = useStore()
  const url = usePhotoUrl(photo?.localPath ?? null)
  const issue = onKeep ? (photo?.check?.issue ?? null) : null

  return (
    <View className={`field ${error ? 'field--error' : ''}`} id={`${id}-field`}>
      <Text className='field__label'>{label}</Text>
      {hint ? <Text className='field__hint'>{hint}</Text> : null}
      {photo ? (
        <View className='photo'>
          {url ? <Image className='photo__img' src={url} mode='aspectFill' ariaLabel={label} nativeProps={{ alt: label }} /> : null}
          <Text className='photo__meta'>{i18n.date(photo.takenAt, 'LLL')}</Text>
        </View>
      ) : null}
      {photo && checking && !photo.check ? (
        <Text className='field__hint' id={`${id}-checking`}>
          {i18n.t('photoCheck.checking')}
        </Text>
      ) : null}
      {issue && photo?.keptAnyway ? (
        <Text className='field__hint' id={`${id}-kept`}>
          {i18n.t('photoCheck.kept')}
        </Text>
      ) : null}
      {issue && !photo?.keptAnyway ? (
        <View className='photo-check' id={`${id}-check`} role='alert'>
          <Text className='photo-check__text'>{i18n.t(`photoCheck.${issue}`)}</Text>
          <Button {...asButton} id={`${id}-keep`} className='btn btn--secondary' onClick={onKeep}>
            {i18n.t('photoCheck.keep')}
          </Button>
        </View>
      ) : null}
      <Button {...asButton} id={id} className='btn btn--secondary' onClick={onTake}>
        {photo ? i18n.t('action.retakePhoto') : i18n.t('action.takePhoto')}
      </Button>
      <FieldError id={`${id}-error`} code={error} />
    </View>
  )
})
