import { Text } from '@tarojs/components'
import { observer } from 'mobx-react'
import type { AssociationStatus } from '../../packages/contract/api'
import { useStore } from '../stores/context'

export const StatusBadge = observer(function StatusBadge({ status }: { status: AssociationStatus }) {
  const { i18n } = useStore()
  return <Text className={`badge badge--${status}`}>{i18n.t(`status.${status}`)}</Text>
})
