import { Button, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { useEffect } from 'react'
import { StatusBadge } from '../../components/status-badge'
import { usePage } from '../../components/use-page'
import { useStore } from '../../stores/context'
import { asButton, pressable } from '../../components/a11y'
import { ErrorReference } from '../../components/error-reference'

/**
 * Sign-in. Inside DingTalk it exchanges an auth code and moves on; the browser preview offers development
 * sign-in as one of the seeded staff members (the server allows it only in development mode).
 */
export default observer(function SignInPage() {
  usePage('title.signin', { requiresSession: false })
  const { i18n, session, platform } = useStore()

  useEffect(() => {
    if (session.phase === 'idle') void session.start()
  }, [session])

  useEffect(() => {
    if (session.signedIn) platform.nav.replace('/pages/index/index')
  }, [session.signedIn, platform])

  return (
    <View className='page' role='main'>
      <View className='page__body'>
        <Text className='page__greeting'>{i18n.t('app.name')}</Text>
        {session.phase === 'signing-in' ? <Text className='card__body'>{i18n.t('signin.dingtalk')}</Text> : null}
        {session.error ? (
          <View className='card card--error' role='alert'>
            <Text className='card__title'>{i18n.t('signin.failed')}</Text>
            <Text className='card__body'>{i18n.t(`error.${session.error}`)}</Text>
            <ErrorReference requestId={session.errorRequestId} />
            <Button {...asButton} className='btn btn--primary' onClick={() => void session.start()}>
              {i18n.t('action.retry')}
            </Button>
          </View>
        ) : null}
        {session.phase === 'needs-dev-signin' ? (
          <View>
            <Text className='card__body'>{i18n.t('signin.devHint')}</Text>
            <View className='list'>
              {session.devStaff.map((s) => (
                <View
                  key={s.id}
                  id={`signin-${s.id}`}
                  className='list__item'
                  role='button'
                  {...pressable(() => void session.devSignIn(s.id).catch(() => undefined))}
                  onClick={() => void session.devSignIn(s.id).catch(() => undefined)}
                >
                  <Text className='list__label'>{s.name}</Text>
                  <Text className='list__meta'>{s.isoName ?? ''}</Text>
                  <StatusBadge status={s.status} />
                </View>
              ))}
            </View>
          </View>
        ) : null}
      </View>
    </View>
  )
})
