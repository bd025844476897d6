import { Button, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { BottomNav } from '../../components/bottom-nav'
import { SessionView } from '../../components/session-view'
import { StatusBadge } from '../../components/status-badge'
import { usePage } from '../../components/use-page'
import { useStore } from '../../stores/context'
import { asButton } from '../../components/a11y'

/** Who I am: name, masked phone, ISO, association status, deployment method and Alipay test account. */
export default observer(function MePage() {
  usePage('title.me')
  const { i18n, session, association, platform } = useStore()
  const staff = session.staff
  const iso = association.state?.iso
  const rows: Array<{ id: string; label: string; value: string | JSX.Element }> = staff
    ? [
        { id: 'name', label: i18n.t('me.name'), value: staff.name },
        { id: 'phone', label: i18n.t('me.phone'), value: staff.phoneMasked },
        { id: 'iso', label: i18n.t('me.iso'), value: iso?.name ?? i18n.t('common.none') },
        { id: 'status', label: i18n.t('me.status'), value: <StatusBadge status={association.status} /> },
        {
          id: 'method',
          label: i18n.t('me.method'),
          value: !iso ? i18n.t('common.none') : iso.deploymentMethod ? i18n.t(`method.${iso.deploymentMethod}`) : i18n.t('me.methodNotAgreed'),
        },
        { id: 'test-account', label: i18n.t('me.testAccount'), value: staff.testAccount?.email ?? i18n.t('me.testAccount.none') },
      ]
    : []
  return (
    <View className='page' role='main'>
      <SessionView>
        <View className='page__body'>
          <View className='card'>
            {rows.map((row) => (
              <View key={row.id} id={`me-${row.id}`} className='kv'>
                <Text className='kv__key'>{row.label}</Text>
                {typeof row.value === 'string' ? <Text className='kv__value'>{row.value}</Text> : row.value}
              </View>
            ))}
          </View>
          <Button
            {...asButton}
            id='sign-out'
            className='btn btn--secondary'
            onClick={() => {
              session.signOut()
              platform.nav.replace('/pages/signin/index')
            }}
          >
            {i18n.t('action.signOut')}
          </Button>
        </View>
      </SessionView>
      <BottomNav current='me' />
    </View>
  )
})
