import { Button, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import type { PhotoRef } from '../../rules/photo-ref'
import { useStore } from '../../stores/context'
import { asButton } from '../a11y'

interface PhotoCheckNoteProps {
  /** The photo field's id: the note's parts are `<id>-check`, `<id>-keep`, `<id>-kept`, `<id>-checking`. */
  id: string
  photo: PhotoRef | null
  /** The photo's check is under way (uploaded right after capture). */
  checking: boolean
  onKeep: () => void
}

/**
 * Issue 26: the server's check of a storefront or spot photo, at the photo: "checking", or what is wrong (too dark,
 * overexposed, blurred) with Keep anyway beside the photo field's Retake, or that it was kept after the warning.
 */
export const PhotoCheckNote = observer(function PhotoCheckNote({ id, photo, checking, onKeep }: PhotoCheckNoteProps) {
  const { i18n } = useStore()
  if (!photo) return null
  const issue = photo.check?.issue ?? null
  if (!photo.check) {
    return checking ? (
      <Text className='field__hint' id={`${id}-checking`}>
        {i18n.t('photoCheck.checking')}
      </Text>
    ) : null
  }
  if (!issue) return null
  if (photo.keptAnyway) {
    return (
      <Text className='field__hint' id={`${id}-kept`}>
        {i18n.t('photoCheck.kept')}
      </Text>
    )
  }
  return (
    <View className='photo-check' id={`${id}-check`} role='alert'>
      <Text className='photo-check__text'>{i18n.t(`photoCheck.${issue}`)}</Text>
      <Button {...asButton} id={`${id}-keep`} className='btn btn--secondary' onClick={onKeep}>
        {i18n.t('photoCheck.keep')}
      </Button>
    </View>
  )
})
