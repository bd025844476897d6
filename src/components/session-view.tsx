import { Button, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import type { ReactNode } from 'react'
import { useStore } from '../stores/context'
import { asButton } from './a11y'
import { ErrorReference } from './error-reference'

/** Shows the page once somebody is signed in; until then the sign-in progress or its failure with Retry. */
export const SessionView = observer(function SessionView({ children }: { children: ReactNode }) {
  const { i18n, session } = useStore()
  if (session.signedIn) return <>{children}</>
  if (session.phase === 'failed') {
    return (
      <View className='card card--error' role='alert'>
        <Text className='card__title'>{i18n.t('signin.failed')}</Text>
        <Text className='card__body'>{i18n.t(`error.${session.error ?? 'SERVER'}`)}</Text>
        <ErrorReference requestId={session.errorRequestId} />
        <Button {...asButton} className='btn btn--primary' onClick={() => void session.start()}>
          {i18n.t('action.retry')}
        </Button>
      </View>
    )
  }
  return (
    <View className='card'>
      <Text className='card__body'>{i18n.t('common.loading')}</Text>
    </View>
  )
})
