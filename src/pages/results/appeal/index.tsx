import '../../../i18n/sections/results'
import { Button, Text, Textarea, View } from '@tarojs/components'
import { useLoad } from '@tarojs/taro'
import { observer } from 'mobx-react'
import { useEffect, useState } from 'react'
import { FieldError } from '../../../components/field-error'
import { PhotoField } from '../../../components/photo-field'
import { PhotoCheckNote } from '../../../components/wizard/photo-check-note'
import { SessionView } from '../../../components/session-view'
import { usePage } from '../../../components/use-page'
import { MAX_APPEAL_PHOTOS } from '../../../stores/appeal-store'
import { useStore } from '../../../stores/context'
import { asButton } from '../../../components/a11y'

/** Appeal a rejection: the submission stays as it is; a written reason and optional new photos. */
export default observer(function AppealPage() {
  usePage('title.appeal')
  const { i18n, results, appeals, platform } = useStore()
  const t = i18n.t
  const [id, setId] = useState<string | null>(null)
  useLoad((query: Record<string, string | undefined>) => setId(query?.id ?? null))
  useEffect(() => {
    if (id && !results.details.has(id)) void results.loadDetail(id)
  }, [id, results])

  const p = id ? (results.details.get(id) ?? null) : null
  if (!p || !id) {
    return (
      <View className='page' role='main'>
        <View className='page__body'>
          <Text className='card__body'>{t('common.loading')}</Text>
        </View>
      </View>
    )
  }
  const form = appeals.form(id)
  const submit = () => {
    if (appeals.submit(p)) {
      platform.ui.toast(t('appeal.sent'), 'success')
      platform.nav.back()
    }
  }
  return (
    <View className='page' role='main'>
      <SessionView>
        <View className='page__body'>
          <Text className='card__title'>{p.store.name}</Text>
          <Text className='card__body'>{t('appeal.intro')}</Text>
          <View className={`field ${appeals.error(id, 'reason') ? 'field--error' : ''}`}>
            <Text className='field__label'>{t('appeal.reason')}</Text>
            <Textarea
              id='appeal-reason'
              className='field__input field__textarea'
              value={form.reason}
              maxlength={500}
              // DingTalk counts characters under a textarea by default ("73/500"); the browser preview does not
              showCount={false}
              ariaLabel={t('appeal.reason')}
              nativeProps={{
                'aria-label': t('appeal.reason'),
                'aria-describedby': appeals.error(id, 'reason') ? 'appeal-reason-hint appeal-reason-error' : 'appeal-reason-hint',
              }}
              onInput={(e) => appeals.setReason(id, e.detail.value)}
            />
            <Text className='field__hint' id='appeal-reason-hint'>
              {t('appeal.reasonHint')}
            </Text>
            <FieldError id='appeal-reason-error' code={appeals.error(id, 'reason')} />
          </View>
          <Text className='field__label'>{t('appeal.photos')}</Text>
          {form.photos.map((photo, i) => (
            <View key={photo.localPath}>
              <PhotoField id={`appeal-photo-${i}`} label={t('detail.photo')} photo={photo} error={null} onTake={() => appeals.removePhoto(id, i)}>
                {/* issue 26: the server's check at capture, Keep anyway beside the photo's retake (remove) */}
                <PhotoCheckNote id={`appeal-photo-${i}`} photo={photo} checking={appeals.checkingPhotos} onKeep={() => appeals.keepPhotoAnyway(id, i)} />
              </PhotoField>
            </View>
          ))}
          {form.photos.length < MAX_APPEAL_PHOTOS ? (
            <Button {...asButton} id='appeal-add-photo' className='btn btn--secondary' onClick={() => void appeals.addPhoto(id, t('appeal.photos'))}>
              {t('action.takePhoto')}
            </Button>
          ) : null}
          <FieldError id='appeal-photos-error' code={appeals.error(id, 'photos')} />
          <Button {...asButton} id='appeal-submit' className='btn btn--primary' onClick={submit}>
            {t('action.submit')}
          </Button>
        </View>
      </SessionView>
    </View>
  )
})
