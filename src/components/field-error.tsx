import { Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import type { ErrorCode } from '../../packages/contract/errors'
import { useStore } from '../stores/context'

/** What is wrong with a field, in the working language; nothing when nothing is wrong. */
export const FieldError = observer(function FieldError({ id, code }: { id: string; code: ErrorCode | null | undefined }) {
  const { i18n } = useStore()
  if (!code) return null
  return (
    <View className='field__error' id={id} role='alert'>
      <Text>{i18n.t(`error.${code}`)}</Text>
    </View>
  )
})
