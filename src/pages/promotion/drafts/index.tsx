import '../../../i18n/sections/promotion'
import { Button, Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { observer } from 'mobx-react'
import { BottomNav } from '../../../components/bottom-nav'
import { OutboxCard } from '../../../components/outbox-card'
import { SessionView } from '../../../components/session-view'
import { usePage } from '../../../components/use-page'
import { useStore } from '../../../stores/context'
import { asButton, pressable } from '../../../components/a11y'

/** Drafts (resume or discard), the outbox (waiting, last error, Retry), and what was submitted. */
export default observer(function DraftsPage() {
  usePage('title.drafts')
  const { i18n, drafts, outbox, promotions, platform, workspace } = useStore()
  const agreed = workspace.info?.methodAgreement?.agreed ?? null
  const t = i18n.t

  useDidShow(() => {
    void promotions.load()
    void workspace.load()
    outbox.retryAll()
  })

  const unsent = drafts.sorted.filter((d) => !outbox.forDraft(d.id))
  /** Discards a draft (and its refused submission, if any) after the staff member confirms. */
  const discard = async (id: string, name: string, outboxId?: string) => {
    const ok = await platform.ui.confirm({
      title: t('drafts.discardTitle'),
      content: t('drafts.discardBody', { store: name || t('drafts.unnamed') }),
      confirmText: t('action.discard'),
      cancelText: t('action.cancel'),
    })
    if (!ok) return
    if (outboxId) outbox.remove(outboxId)
    drafts.discard(id)
  }

  return (
    <View className='page' role='main'>
      <SessionView>
        <View className='page__body'>
          {drafts.storageFull || outbox.storageFull ? (
            <View className='banner banner--error' role='alert' id='storage-full'>
              <Text>{t('storage.full')}</Text>
            </View>
          ) : null}
          <Text className='section-title'>{t('drafts.title')}</Text>
          {unsent.length === 0 ? <Text className='card__body'>{t('drafts.empty')}</Text> : null}
          {unsent.map((d) => (
            <View key={d.id} className='card' id={`draft-${d.id}`}>
              <View className='card__row'>
                <Text className='card__title'>{d.store.name || t('drafts.unnamed')}</Text>
                <Text className='badge'>{t(`product.${d.product}`)}</Text>
              </View>
              <Text className='card__meta'>{t('drafts.step', { step: t(`wizard.step.${d.step}`) })}</Text>
              {agreed && !d.modifyOf && d.method !== agreed ? (
                <Text className='card__meta' id={`draft-method-${d.id}`}>
                  {t('drafts.methodChanged', { method: t(`method.${d.method}`) })}
                </Text>
              ) : null}
              <Text className='card__meta'>{t('drafts.updated', { date: i18n.date(d.updatedAt, 'LLL') })}</Text>
              <View className='card__row'>
                <Button
                  {...asButton}
                  className='btn btn--primary'
                  id={`draft-resume-${d.id}`}
                  onClick={() => platform.nav.open(`/pages/promotion/wizard/index?draft=${d.id}`)}
                >
                  {t('action.resume')}
                </Button>
                <Button {...asButton} className='btn btn--secondary' id={`draft-discard-${d.id}`} onClick={() => void discard(d.id, d.store.name)}>
                  {t('action.discard')}
                </Button>
              </View>
            </View>
          ))}

          <Text className='section-title'>
            {t('outbox.title')} {outbox.pendingCount > 0 ? `· ${t('outbox.pending', { count: outbox.pendingCount })}` : ''}
          </Text>
          {outbox.waiting.length === 0 ? <Text className='card__body'>{t('outbox.empty')}</Text> : null}
          {outbox.waiting.map((item) => (
            <OutboxCard
              key={item.id}
              item={item}
              onEdit={() => platform.nav.open(`/pages/promotion/wizard/index?draft=${item.draftId}`)}
              onDiscard={() => void discard(item.draftId, item.label, item.id)}
            />
          ))}

          <Text className='section-title'>{t('submissions.title')}</Text>
          {promotions.list.length === 0 ? <Text className='card__body'>{t('submissions.empty')}</Text> : null}
          {promotions.list.map((p) => (
            <View
              key={p.id}
              className='card card--link'
              id={`promotion-${p.id}`}
              role='link'
              {...pressable(() => platform.nav.open(`/pages/results/detail/index?id=${p.id}`))}
              onClick={() => platform.nav.open(`/pages/results/detail/index?id=${p.id}`)}
            >
              <View className='card__row'>
                <Text className='card__title'>{p.store.name}</Text>
                <Text className={`badge badge--${p.status.toLowerCase()}`}>{t(`promotionStatus.${p.status}`)}</Text>
              </View>
              <Text className='card__meta'>
                {t(`product.${p.product}`)} · {t('summary.spots', { count: p.spots.length })} · {i18n.date(p.createdAt, 'LLL')}
              </Text>
              {p.status === 'AWAITING_PAYMENT_VERIFICATION' ? (
                <Button
                  {...asButton}
                  className='btn btn--primary'
                  id={`verify-${p.id}`}
                  onClick={(e) => {
                    e.stopPropagation()
                    platform.nav.open(`/pages/promotion/verify/index?id=${p.id}`)
                  }}
                >
                  {t('action.verifyPayment')}
                </Button>
              ) : null}
            </View>
          ))}
        </View>
      </SessionView>
      <BottomNav current='drafts' />
    </View>
  )
})
