import '../../i18n/sections/results'
import { Button, Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { observer } from 'mobx-react'
import { BottomNav } from '../../components/bottom-nav'
import { ChoiceChips } from '../../components/choice-chips'
import { SessionView } from '../../components/session-view'
import { usePage } from '../../components/use-page'
import { RESULT_FILTERS, type ProductStats, type ResultFilter } from '../../../packages/contract/results'
import { PERIODS, type Period } from '../../../packages/contract/rules/period'
import { useStore } from '../../stores/context'
import { asButton, pressable } from '../../components/a11y'
import { ErrorReference } from '../../components/error-reference'

const StatsCard = observer(function StatsCard({ stats }: { stats: ProductStats }) {
  const { i18n } = useStore()
  const t = i18n.t
  const rows: Array<[string, number, string]> = [
    ['promoted', stats.promotedStores, t('results.promotedStores')],
    ['submitted', stats.spotsSubmitted, t('results.spotsSubmitted')],
    ['approved', stats.spotsApproved, t('results.spotsApproved')],
    ['rejected', stats.spotsRejected, t('results.spotsRejected')],
    ['pending', stats.spotsPending, t('results.spotsPending')],
  ]
  return (
    <View className='card' id={`stats-${stats.product}`}>
      <Text className='card__title'>{t(`product.${stats.product}`)}</Text>
      {rows.map(([id, value, label]) => (
        <View key={id} className='kv' id={`stats-${stats.product}-${id}`}>
          <Text className='kv__key'>{label}</Text>
          <Text className='kv__value kv__value--num'>{value}</Text>
        </View>
      ))}
      <Text className='card__meta' id={`stats-${stats.product}-eligible`}>
        {t('results.eligibleSummary', { count: stats.eligiblePromotions })}
      </Text>
    </View>
  )
})

/** Review results: figures with the one-day delay, and the stores with their review status. */
export default observer(function ResultsPage() {
  usePage('title.results')
  const { i18n, results, platform } = useStore()
  const t = i18n.t
  const summary = results.summary

  useDidShow(() => {
    void results.refresh()
  })

  return (
    <View className='page' role='main'>
      <SessionView>
        <View className='page__body'>
          <ChoiceChips
            id='period'
            label={t('results.period')}
            options={PERIODS.map((p) => ({ value: p, label: t(`period.${p}`) }))}
            selected={[results.period]}
            error={null}
            onToggle={(p) => results.setPeriod(p as Period)}
          />
          {summary ? (
            <View className='banner' id='as-of'>
              <Text className='card__body card__body--strong'>
                {t('results.asOf', { date: i18n.date(`${summary.asOf}T12:00:00`), timezone: summary.timezone })}
              </Text>
              <Text className='card__body'>{t('results.delay')}</Text>
              {summary.notYetCounted > 0 ? (
                <Text className='card__body' id='not-yet-counted'>
                  {t('results.notYetCounted', { count: summary.notYetCounted })}
                </Text>
              ) : null}
            </View>
          ) : null}
          {results.error ? (
            <View className='banner banner--error' role='alert'>
              <Text>{t(`error.${results.error}`)}</Text>
              <ErrorReference requestId={results.errorRequestId} />
            </View>
          ) : null}
          {summary?.products.map((s) => (
            <StatsCard key={s.product} stats={s} />
          ))}
          {summary ? (
            <View className='card' id='stats-inspections'>
              <Text className='card__body'>{t('results.acceptedInspections', { count: summary.acceptedInspections })}</Text>
            </View>
          ) : null}

          <Text className='section-title'>{t('results.stores')}</Text>
          <ChoiceChips
            id='filter'
            label={t('results.stores')}
            options={[
              { value: 'ALL', label: t('results.filter.ALL') },
              ...RESULT_FILTERS.map((f) => ({ value: f, label: f === 'APPEALED' ? t('listStatus.APPEALED') : t(`promotionStatus.${f}`) })),
            ]}
            selected={[results.filter ?? 'ALL']}
            error={null}
            onToggle={(f) => results.setFilter(f === 'ALL' ? null : (f as ResultFilter))}
          />
          {results.items.length === 0 && !results.loading ? <Text className='card__body'>{t('results.empty')}</Text> : null}
          {results.items.map((p) => (
            <View
              key={p.id}
              className='card card--link'
              id={`result-${p.id}`}
              role='link'
              {...pressable(() => platform.nav.open(`/pages/results/detail/index?id=${p.id}`))}
              onClick={() => platform.nav.open(`/pages/results/detail/index?id=${p.id}`)}
            >
              <View className='card__row'>
                <Text className='card__title'>{p.store.name}</Text>
                <Text className={`badge badge--${p.listStatus.toLowerCase()}`}>
                  {p.listStatus === 'APPEALED' ? t('listStatus.APPEALED') : t(`promotionStatus.${p.listStatus}`)}
                </Text>
              </View>
              <Text className='card__meta'>
                {t(`product.${p.product}`)} · {t('summary.spots', { count: p.spots.length })} · {i18n.date(p.createdAt, 'LL')}
              </Text>
              {p.eligibility.eligible ? <Text className='card__body card__body--ok'>✓ {t('detail.eligible')}</Text> : null}
            </View>
          ))}
          {results.nextCursor ? (
            <Button {...asButton} id='load-more' className='btn btn--secondary' loading={results.loading} onClick={() => void results.loadMore()}>
              {t('action.loadMore')}
            </Button>
          ) : null}
        </View>
      </SessionView>
      <BottomNav current='results' />
    </View>
  )
})
