import { Button, Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { observer } from 'mobx-react'
import type { ProductKind } from '../../../packages/contract/promotion'
import { BottomNav } from '../../components/bottom-nav'
import { SessionView } from '../../components/session-view'
import { StatusBadge } from '../../components/status-badge'
import { usePage } from '../../components/use-page'
import type { MessageKey } from '../../i18n'
import { useStore } from '../../stores/context'
import { ariaBool, asButton, pressable } from '../../components/a11y'

const PRODUCTS: Array<{ id: string; product: ProductKind | null; title: MessageKey; desc: MessageKey; action: MessageKey }> = [
  {
    id: 'marketing-code',
    product: 'MARKETING_CODE',
    title: 'home.product.marketingCode',
    desc: 'home.product.marketingCode.desc',
    action: 'action.startPromotion',
  },
  { id: 'primary-posm', product: 'PRIMARY_POSM', title: 'home.product.primaryPosm', desc: 'home.product.primaryPosm.desc', action: 'action.startPromotion' },
  { id: 'spot-inspection', product: null, title: 'home.product.spotInspection', desc: 'home.product.spotInspection.desc', action: 'action.verificationTasks' },
]

/** The product list: the home of a staff member. Promotions stay locked, with the reason, until associated. */
export default observer(function HomePage() {
  usePage('title.home')
  const { i18n, session, association, platform, workspace, drafts, outbox } = useStore()
  const staff = session.staff
  const iso = association.state?.iso

  useDidShow(() => {
    if (association.unlocked) {
      void workspace.load()
      outbox.retryAll()
    } else if (session.signedIn) {
      // Check again: joined in DingTalk since signing in? (at most once a minute)
      void association.checkAgain(true)
    }
  })

  /** Start Promotion: a new draft for this product under the ISO's method, then the wizard. */
  const start = async (product: ProductKind) => {
    const info = workspace.info ?? (await workspace.load())
    if (!info) {
      platform.ui.toast(i18n.t(`error.${workspace.error ?? 'NETWORK'}`))
      return
    }
    const draft = drafts.create(product, info.method)
    platform.nav.open(`/pages/promotion/wizard/index?draft=${draft.id}`)
  }

  return (
    <View className='page' role='main'>
      <SessionView>
        <View className='page__body'>
          <Text className='page__greeting'>{i18n.t('home.greeting', { name: staff?.name ?? '' })}</Text>

          <View className='card' id='association-card'>
            <View className='card__row'>
              <Text className='card__title'>{i18n.t('assoc.statusTitle')}</Text>
              <StatusBadge status={association.status} />
            </View>
            {association.unlocked && iso ? (
              <Text className='card__body' id='deployment-method'>
                {i18n.t('home.method', { method: i18n.t(`method.${iso.deploymentMethod}`) })} {i18n.t(`method.${iso.deploymentMethod}.desc`)}
              </Text>
            ) : (
              <View>
                <Text className='card__body' id='lock-reason'>
                  {association.lockReason ? i18n.t(association.lockReason) : ''}
                </Text>
                <Button {...asButton} id='open-association' className='btn btn--primary' onClick={() => platform.nav.open('/pages/associate/index')}>
                  {i18n.t('action.associate')}
                </Button>
              </View>
            )}
          </View>

          {association.unlocked ? (
            <View
              className='card card--link'
              id='open-drafts'
              role='link'
              {...pressable(() => platform.nav.open('/pages/promotion/drafts/index'))}
              onClick={() => platform.nav.open('/pages/promotion/drafts/index')}
            >
              <View className='card__row'>
                <Text className='card__title'>{i18n.t('action.openDrafts')}</Text>
                <Text className='badge' id='drafts-count'>
                  {drafts.drafts.length} · {i18n.t('outbox.pending', { count: outbox.pendingCount })}
                </Text>
              </View>
            </View>
          ) : null}

          <Text className='section-title'>{i18n.t('home.productList')}</Text>
          {PRODUCTS.map((p) => (
            <View key={p.id} id={`product-${p.id}`} className={`card product ${association.unlocked ? '' : 'product--locked'}`}>
              <View className='card__row'>
                <Text className='card__title'>{i18n.t(p.title)}</Text>
                {association.unlocked ? null : <Text className='badge badge--locked'>{i18n.t('home.locked')}</Text>}
              </View>
              <Text className='card__body'>{i18n.t(p.desc)}</Text>
              <Button
                {...asButton}
                id={`start-${p.id}`}
                className={`btn btn--secondary ${association.unlocked ? '' : 'btn--disabled'}`}
                disabled={!association.unlocked || undefined}
                aria-disabled={ariaBool(!association.unlocked)}
                onClick={() => (p.product ? void start(p.product) : platform.nav.open('/pages/inspection/tasks/index'))}
              >
                {i18n.t(p.action)}
              </Button>
            </View>
          ))}
        </View>
      </SessionView>
      <BottomNav current='home' />
    </View>
  )
})
