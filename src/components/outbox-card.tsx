import { Button, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { useStore } from '../stores/context'
import { isHeldOnDevice, type OutboxItem } from '../stores/outbox-store'
import { asButton } from './a11y'
import { ErrorReference } from './error-reference'

/** One submission on its way: what it is, where it stands, the last error, and Retry. */
export const OutboxCard = observer(function OutboxCard({ item, onEdit, onDiscard }: { item: OutboxItem; onEdit?: () => void; onDiscard?: () => void }) {
  const { i18n, outbox } = useStore()
  const t = i18n.t
  // a photo gone from the phone or a settings problem: the phone's to fix, not the server's refusal
  const held = isHeldOnDevice(item)
  const status = item.status === 'sent' ? null : held ? 'held' : item.status
  return (
    <View className={`card ${item.status === 'refused' ? 'card--error' : ''}`} id={`outbox-${item.id}`} data-status={item.status}>
      <View className='card__row'>
        <Text className='card__title'>{item.label || t('drafts.unnamed')}</Text>
        <Text className='badge'>
          {item.kind === 'promotion' ? t(`product.${item.product}`) : item.kind === 'inspection' ? t('title.inspection') : t(`outbox.kind.${item.kind}`)}
        </Text>
      </View>
      {status ? (
        <Text className='card__body outbox__status' id={`outbox-status-${item.id}`}>
          {t(`outbox.status.${status}`)}
        </Text>
      ) : null}
      <Text className='card__meta'>{t('outbox.photos', { done: outbox.uploadedCount(item), total: item.photos.length })}</Text>
      {item.lastError ? (
        <View className='card__body card__body--error' role='alert' id={`outbox-error-${item.id}`}>
          <Text>
            {held
              ? t('wizard.held', { reason: t(`error.${item.lastError}`) })
              : item.status === 'refused'
                ? t('wizard.refused', { reason: t(`error.${item.lastError}`) })
                : t('outbox.lastError', { error: t(`error.${item.lastError}`) })}
          </Text>
          <ErrorReference requestId={item.lastErrorRequestId} />
        </View>
      ) : null}
      {item.status === 'pending' || item.lastError === 'CONFIGURATION' ? (
        <Button {...asButton} id={`outbox-retry-${item.id}`} className='btn btn--secondary' onClick={() => outbox.retry(item.id)}>
          {t('action.retry')}
        </Button>
      ) : null}
      {item.lastError === 'PHOTO_QUALITY' && item.kind === 'appeal' ? (
        // an appeal has no form to go back to: Keep anyway here (a retake is a new appeal)
        <Button {...asButton} id={`outbox-keep-${item.id}`} className='btn btn--secondary' onClick={() => outbox.keepPhotosAnyway(item.id)}>
          {t('photoCheck.keep')}
        </Button>
      ) : null}
      {item.status === 'refused' && onEdit ? (
        <Button {...asButton} id={`outbox-edit-${item.id}`} className='btn btn--primary' onClick={onEdit}>
          {t('action.modify')}
        </Button>
      ) : null}
      {item.status === 'refused' && onDiscard ? (
        <Button {...asButton} id={`outbox-discard-${item.id}`} className='btn btn--secondary' onClick={onDiscard}>
          {t('action.discard')}
        </Button>
      ) : null}
    </View>
  )
})
