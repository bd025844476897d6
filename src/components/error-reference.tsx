import { Text } from '@tarojs/components'
import { observer } from 'mobx-react'
import { useStore } from '../stores/context'

/**
 * Under an error the server answered: the id of the request that failed (the server's X-Request-Id, on every
 * log line it wrote for it), selectable so that staff can copy it and quote it to support. Nothing for the
 * device's and the network's failures (no request reached the server).
 */
export const ErrorReference = observer(function ErrorReference({ requestId }: { requestId: string | null | undefined }) {
  const { i18n } = useStore()
  if (!requestId) return null
  return (
    <Text className='error-reference' selectable userSelect>
      {i18n.t('common.errorReference', { id: requestId })}
    </Text>
  )
})
