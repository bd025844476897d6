import '../../../i18n/sections/promotion'
import { Text, View } from '@tarojs/components'
import { useLoad } from '@tarojs/taro'
import { observer } from 'mobx-react'
import { useState } from 'react'
import { PaymentPanel } from '../../../components/payment-panel'
import { SessionView } from '../../../components/session-view'
import { usePage } from '../../../components/use-page'
import { useStore } from '../../../stores/context'
import { ErrorReference } from '../../../components/error-reference'
import { PAYMENT_MODES } from '../../../../packages/contract/rules/payment'

/**
 * Deploy-Then-Verify: verify the payment of a submitted promotion (at once or later); then it goes to review. After
 * the reviewer rejected a mode's payment evidence, that mode alone asks for a new payment (with the reviewer's
 * reason); the other mode shows as done.
 */
export default observer(function VerifyPage() {
  usePage('title.verifyPayment')
  const { i18n, promotions, workspace } = useStore()
  const t = i18n.t
  const [id, setId] = useState<string | null>(null)

  useLoad((query: Record<string, string | undefined>) => {
    const promotionId = query?.id ?? null
    setId(promotionId)
    if (promotionId) void promotions.loadOne(promotionId)
    if (!workspace.info) void workspace.load()
  })

  const promotion = id ? promotions.byId(id) : null
  return (
    <View className='page' role='main'>
      <SessionView>
        <View className='page__body'>
          {promotion ? (
            <View>
              <View className='card'>
                <Text className='card__title'>{promotion.store.name}</Text>
                <Text className={`badge badge--${promotion.status.toLowerCase()}`} id='promotion-status'>
                  {t(`promotionStatus.${promotion.status}`)}
                </Text>
              </View>
              {promotion.status === 'AWAITING_PAYMENT_VERIFICATION'
                ? PAYMENT_MODES.map((mode) => {
                    const latest = promotions.latestVerification(promotion.id, mode)
                    return latest?.review?.status === 'REJECTED' ? (
                      <View key={mode} className='banner banner--error' role='alert' id={`pay-${mode}-rejected`}>
                        <Text>{t('verify.paymentRejected', { mode: t(`payment.mode.${mode}`), reason: latest.review.reason ?? '' })}</Text>
                      </View>
                    ) : null
                  })
                : null}
              {promotion.status === 'AWAITING_PAYMENT_VERIFICATION' || promotions.verifiedHere(promotion.id) ? (
                <PaymentPanel verifier={promotions.verifierFor(promotion.id)} wallets={promotion.store.wallets} />
              ) : null}
            </View>
          ) : (
            <View>
              <Text className='card__body'>{promotions.error ? t(`error.${promotions.error}`) : t('common.loading')}</Text>
              {promotions.error ? <ErrorReference requestId={promotions.errorRequestId} /> : null}
            </View>
          )}
        </View>
      </SessionView>
    </View>
  )
})
