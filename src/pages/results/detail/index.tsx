import '../../../i18n/sections/results'
import { Button, Text, View } from '@tarojs/components'
import { useDidShow, useLoad } from '@tarojs/taro'
import { observer } from 'mobx-react'
import { useEffect, useState } from 'react'
import { WALLET_NAMES } from '../../../../packages/contract/promotion'
import { RemotePhoto } from '../../../components/remote-photo'
import { SessionView } from '../../../components/session-view'
import { usePage } from '../../../components/use-page'
import { useStore } from '../../../stores/context'
import { isHeldOnDevice } from '../../../stores/outbox-store'
import { asButton } from '../../../components/a11y'
import { ErrorReference } from '../../../components/error-reference'
import { passedLabelKey } from '../../../rules/payment-label'

/** One promotion's review: the store and each spot with status and reason, photos, payment, eligibility, actions. */
export default observer(function ResultDetailPage() {
  usePage('title.resultDetail')
  const { i18n, results, drafts, outbox, platform } = useStore()
  const t = i18n.t
  const [id, setId] = useState<string | null>(null)

  useLoad((query: Record<string, string | undefined>) => setId(query?.id ?? null))
  useEffect(() => {
    if (id) void results.loadDetail(id)
  }, [id, results])
  useDidShow(() => {
    if (id) void results.loadDetail(id)
  })

  const p = id ? (results.details.get(id) ?? null) : null
  if (!p) {
    return (
      <View className='page' role='main'>
        <View className='page__body'>
          <Text className='card__body'>{results.error ? t(`error.${results.error}`) : t('common.loading')}</Text>
          {results.error ? <ErrorReference requestId={results.errorRequestId} /> : null}
        </View>
      </View>
    )
  }
  const pendingHere = outbox.waiting.filter((i) => i.targetId === p.id)
  const modify = () => {
    const draft = drafts.createModify(p)
    platform.nav.open(`/pages/promotion/wizard/index?draft=${draft.id}`)
  }
  return (
    <View className='page' role='main'>
      <SessionView>
        <View className='page__body'>
          <View className='card' id='detail-store'>
            <View className='card__row'>
              <Text className='card__title'>{p.store.name}</Text>
              <Text className={`badge badge--${p.listStatus.toLowerCase()}`} id='detail-status'>
                {p.listStatus === 'APPEALED' ? t('listStatus.APPEALED') : t(`promotionStatus.${p.listStatus}`)}
              </Text>
            </View>
            <Text className='card__meta'>
              {t(`product.${p.product}`)} · {t(`method.${p.method}`)} · {i18n.date(p.createdAt, 'LLL')}
            </Text>
            <Text className='card__body'>{p.store.address}</Text>
            <Text className='card__body'>
              {t(`category.${p.store.category}`)} · {p.store.wallets.map((w) => WALLET_NAMES[w]).join(', ')}
            </Text>
            <View className='kv'>
              <Text className='kv__key'>{t('detail.store')}</Text>
              <Text className={`badge badge--${p.storeReview.status.toLowerCase()}`} id='store-review'>
                {t(`review.${p.storeReview.status}`)}
              </Text>
            </View>
            {p.storeReview.status === 'REJECTED' && p.storeReview.reason ? (
              <Text className='card__body card__body--error' id='store-reason'>
                {t('detail.reviewReason', { reason: p.storeReview.reason })}
              </Text>
            ) : null}
            <RemotePhoto uploadId={p.store.storefrontPhotoId} label={t('store.storefront')} />
            {!p.counted ? (
              <Text className='card__meta' id='not-counted'>
                {t('detail.notCounted')}
              </Text>
            ) : null}
          </View>

          <View className={`card ${p.eligibility.eligible ? 'card--ok' : ''}`} id='eligibility'>
            <Text className='card__title'>{t('detail.eligibility')}</Text>
            {p.eligibility.eligible ? (
              <Text className='card__body card__body--ok'>✓ {t('detail.eligible')}</Text>
            ) : (
              p.eligibility.missing.map((m) => (
                <Text key={m} className='card__body'>
                  {t(`detail.missing.${m}`)}
                </Text>
              ))
            )}
          </View>

          <Text className='section-title'>{t('detail.spots')}</Text>
          {p.spots.map((s) => (
            <View key={s.index} className='card' id={`detail-spot-${s.index}`}>
              <View className='card__row'>
                <Text className='card__title'>{t('spot.title', { n: s.index + 1 })}</Text>
                <Text className={`badge badge--${s.review.status.toLowerCase()}`}>{t(`review.${s.review.status}`)}</Text>
              </View>
              <Text className='card__body'>
                {t(`position.${s.position}`)}
                {s.positionNote ? ` (${s.positionNote})` : ''} · {s.marketingCode ?? (s.materialType ? t(`material.${s.materialType}`) : '')}
              </Text>
              {s.review.status === 'REJECTED' && s.review.reason ? (
                <Text className='card__body card__body--error' id={`spot-reason-${s.index}`}>
                  {t('detail.reviewReason', { reason: s.review.reason })}
                </Text>
              ) : null}
              <RemotePhoto uploadId={s.photoId} label={t('detail.photo')} />
            </View>
          ))}

          <View className='card' id='detail-payment'>
            <Text className='card__title'>{t('detail.payment')}</Text>
            {p.paymentVerifications.length === 0 ? <Text className='card__body'>{t('detail.noPayment')}</Text> : null}
            {p.paymentVerifications.map((r) => (
              <Text key={r.id} className='card__body'>
                {t('detail.paymentRecord', {
                  mode: t(`payment.mode.${r.mode}`),
                  tool: r.tool === 'ALIPAY' ? 'Alipay' : 'Alipay+ Linker',
                  reference: r.reference,
                  status: r.status === 'PASSED' ? t(passedLabelKey(r)) : t(`error.${r.reason ?? 'PAYMENT_NOT_FOUND'}`),
                })}
              </Text>
            ))}
          </View>

          {p.appeals.length > 0 ? (
            <View className='card' id='detail-appeals'>
              <Text className='card__title'>{t('detail.appeals')}</Text>
              {p.appeals.map((a) => (
                <View key={a.id} className='kv kv--stack'>
                  <Text className={`badge badge--${a.status.toLowerCase()}`}>{t(`appealStatus.${a.status}`)}</Text>
                  <Text className='card__body'>{a.reason}</Text>
                  {a.reviewerReason ? <Text className='card__body card__body--error'>{t('appeal.reviewerReason', { reason: a.reviewerReason })}</Text> : null}
                </View>
              ))}
            </View>
          ) : null}

          {pendingHere.map((item) => (
            <View key={item.id} className='banner' id={`pending-${item.kind}`}>
              <Text>
                {t(`outbox.kind.${item.kind === 'appeal' ? 'appeal' : 'resubmission'}`)}:{' '}
                {t(`outbox.status.${isHeldOnDevice(item) ? 'held' : item.status === 'sent' ? 'pending' : item.status}`)}
              </Text>
            </View>
          ))}

          {p.actions.verifyPayment ? (
            <Button {...asButton} id='detail-verify' className='btn btn--primary' onClick={() => platform.nav.open(`/pages/promotion/verify/index?id=${p.id}`)}>
              {t('action.verifyPayment')}
            </Button>
          ) : null}
          {p.actions.modify && pendingHere.length === 0 ? (
            <Button {...asButton} id='detail-modify' className='btn btn--primary' onClick={modify}>
              {t('action.modify')}
            </Button>
          ) : null}
          {p.actions.appeal && pendingHere.length === 0 ? (
            <Button {...asButton} id='detail-appeal' className='btn btn--secondary' onClick={() => platform.nav.open(`/pages/results/appeal/index?id=${p.id}`)}>
              {t('action.appeal')}
            </Button>
          ) : null}
        </View>
      </SessionView>
    </View>
  )
})
