import { Button, Image, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { useEffect, useState, type ReactNode } from 'react'
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
  /** Shown under the photo (issue 26: the server's check of it, with Keep anyway). */
  children?: ReactNode
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
export const PhotoField = observer(function PhotoField({ id, label, hint, photo, error, onTake, children }: PhotoFieldProps) {
  const { i18n } = useStore()
  const url = usePhotoUrl(photo?.localPath ?? null)

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
      {children}
      <Button {...asButton} id={id} className='btn btn--secondary' onClick={onTake}>
        {photo ? i18n.t('action.retakePhoto') : i18n.t('action.takePhoto')}
      </Button>
      <FieldError id={`${id}-error`} code={error} />
    </View>
  )
})
