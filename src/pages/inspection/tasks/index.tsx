import '../../../i18n/sections/inspection'
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { observer } from 'mobx-react'
import { ChoiceChips } from '../../../components/choice-chips'
import { SessionView } from '../../../components/session-view'
import { usePage } from '../../../components/use-page'
import type { TaskSort } from '../../../stores/inspections-store'
import { useStore } from '../../../stores/context'
import { pressable } from '../../../components/a11y'
import { ErrorReference } from '../../../components/error-reference'

/** Verification Tasks: the inspections assigned to me, by due date or nearest first. */
export default observer(function TasksPage() {
  usePage('title.tasks')
  const { i18n, inspections, platform } = useStore()
  const t = i18n.t

  useDidShow(() => {
    void inspections.load()
  })

  return (
    <View className='page' role='main'>
      <SessionView>
        <View className='page__body'>
          <ChoiceChips
            id='sort'
            label={t('tasks.sort')}
            options={[
              { value: 'due', label: t('tasks.sortByDue') },
              { value: 'distance', label: t('tasks.sortByDistance') },
            ]}
            selected={[inspections.sort]}
            error={inspections.sort === 'distance' ? inspections.locationError : null}
            onToggle={(v) => void inspections.setSort(v as TaskSort)}
          />
          {inspections.error ? (
            <View className='banner banner--error' role='alert'>
              <Text>{t(`error.${inspections.error}`)}</Text>
              <ErrorReference requestId={inspections.errorRequestId} />
            </View>
          ) : null}
          {inspections.sorted.length === 0 && !inspections.loading ? <Text className='card__body'>{t('tasks.empty')}</Text> : null}
          {inspections.sorted.map((task) => {
            const distance = inspections.distanceTo(task)
            return (
              <View
                key={task.id}
                className='card card--link'
                id={`task-${task.id}`}
                role='link'
                {...pressable(() => platform.nav.open(`/pages/inspection/task/index?id=${task.id}`))}
                onClick={() => platform.nav.open(`/pages/inspection/task/index?id=${task.id}`)}
              >
                <View className='card__row'>
                  <Text className='card__title'>{task.store.name}</Text>
                  <Text className={`badge badge--task-${task.status.toLowerCase()}`} id={`task-status-${task.id}`}>
                    {t(`inspectionStatus.${task.status}`)}
                  </Text>
                </View>
                <Text className='card__body'>{task.store.address}</Text>
                <Text className='card__meta'>
                  {t('tasks.due', { date: i18n.date(`${task.dueDate}T12:00:00`) })} · {t('tasks.spots', { count: task.spots.length })}
                  {distance !== null ? ` · ${t('tasks.distance', { distance })}` : ''}
                </Text>
                {task.status === 'REJECTED' && task.reviewerReason ? (
                  <Text className='card__body card__body--error'>{t('tasks.rejectedReason', { reason: task.reviewerReason })}</Text>
                ) : null}
              </View>
            )
          })}
        </View>
      </SessionView>
    </View>
  )
})
