import { Button, Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { observer } from 'mobx-react'
import { useEffect, useRef } from 'react'
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
  // the method in force: the workspace's (refreshed on show) once it is agreed, else the profile's
  const method = workspace.info?.methodAgreement?.agreed ?? iso?.deploymentMethod ?? null

  useDidShow(() => {
    if (association.unlocked) {
      void workspace.load()
      outbox.retryAll()
    } else if (session.signedIn) {
      // Check again: joined in DingTalk since signing in? (at most once a minute)
      void association.checkAgain(true)
    }
  })

  // associated only once the profile arrived (a reload): the workspace (the deployment method's agreement) then
  const wasUnlocked = useRef(association.unlocked)
  useEffect(() => {
    if (association.unlocked && !wasUnlocked.current) void workspace.load()
    wasUnlocked.current = association.unlocked
  }, [association.unlocked, workspace])

  /** Why Start Promotion is locked by the deployment method, in the working language (null: not locked). */
  const methodLockText = (): string | null => {
    const lock = workspace.methodLock
    if (!lock) return null
    return i18n.t(`home.methodLock.${lock.status}`, { method: lock.method ? i18n.t(`method.${lock.method}`) : '' })
  }

  const methodLock = association.unlocked ? methodLockText() : null

  /** Start Promotion: a new draft for this product under the ISO's agreed method, then the wizard. */
  const start = async (product: ProductKind) => {
    const info = workspace.info ?? (await workspace.load())
    if (!info) {
      // the toast carries the request id too: staff can quote it to support
      const reference = workspace.errorRequestId ? `\n${i18n.t('common.errorReference', { id: workspace.errorRequestId })}` : ''
      platform.ui.toast(`${i18n.t(`error.${workspace.error ?? 'NETWORK'}`)}${reference}`)
      return
    }
    const locked = methodLockText()
    if (locked) {
      platform.ui.toast(locked)
      return
    }
    const draft = drafts.create(product, info.methodAgreement?.agreed ?? info.method)
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
              methodLock ? (
                <Text className='card__body' id='method-lock-reason'>
                  {methodLock}
                </Text>
              ) : method ? (
                <View>
                  <Text className='card__body' id='deployment-method'>
                    {i18n.t('home.method', { method: i18n.t(`method.${method}`) })} {i18n.t(`method.${method}.desc`)}
                  </Text>
                  {workspace.pendingChange ? (
                    <Text className='card__meta' id='method-change-pending'>
                      {i18n.t('home.methodProposedChange', { method: i18n.t(`method.${workspace.pendingChange}`), current: i18n.t(`method.${method}`) })}
                    </Text>
                  ) : null}
                </View>
              ) : null
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
          {PRODUCTS.map((p) => {
            // promotions wait for the association and for an agreed deployment method; inspections for the association
            const open = association.unlocked && !(p.product && methodLock)
            return (
              <View key={p.id} id={`product-${p.id}`} className={`card product ${open ? '' : 'product--locked'}`}>
                <View className='card__row'>
                  <Text className='card__title'>{i18n.t(p.title)}</Text>
                  {open ? null : <Text className='badge badge--locked'>{i18n.t('home.locked')}</Text>}
                </View>
                <Text className='card__body'>{i18n.t(p.desc)}</Text>
                {association.unlocked && p.product && methodLock ? (
                  <Text className='card__meta' id={`lock-reason-${p.id}`}>
                    {methodLock}
                  </Text>
                ) : null}
                <Button
                  {...asButton}
                  id={`start-${p.id}`}
                  className={`btn btn--secondary ${open ? '' : 'btn--disabled'}`}
                  disabled={!open || undefined}
                  aria-disabled={ariaBool(!open)}
                  onClick={() => (p.product ? void start(p.product) : platform.nav.open('/pages/inspection/tasks/index'))}
                >
                  {i18n.t(p.action)}
                </Button>
              </View>
            )
          })}
        </View>
      </SessionView>
      <BottomNav current='home' />
    </View>
  )
})
