/**
 * ResultsStore: the figures of a period (from/to in the query string), the list of stores with a status
 * filter and pages, errors that keep what was shown, and fresher details put in place.
 */
import { TransportError } from '../../src/platform/types'
import { ResultsStore } from '../../src/stores/results-store'
import { json } from '../helpers/fake-platform'
import { settle } from '../helpers/promotion'
import { listed, queryOf, rejectedDetail, requestedUrls, resultsRoot } from '../helpers/results'

const SUMMARY = '/api/results/summary'
const LIST = '/api/results/promotions?'

describe('ResultsStore: the summary of a period', () => {
  it('asks for this month by default, as of the wiring clock (2026-11-25)', async () => {
    const env = await resultsRoot()
    expect(env.root.results.period).toBe('thisMonth')
    await env.root.results.loadSummary()
    expect(requestedUrls(env, SUMMARY)).toEqual(['/api/results/summary?from=2026-11-01&to=2026-11-30'])
    expect(env.root.results.summary).toMatchObject({ from: '2026-11-01', to: '2026-11-30', asOf: '2026-11-24', notYetCounted: 1 })
    expect(env.root.results.error).toBeNull()
  })

  it('sends from/to of the chosen period as query parameters', async () => {
    const env = await resultsRoot()
    const results = env.root.results
    results.setPeriod('lastMonth')
    await settle()
    results.setPeriod('last3Months')
    await settle()
    expect(requestedUrls(env, SUMMARY)).toEqual(['/api/results/summary?from=2026-10-01&to=2026-10-31', '/api/results/summary?from=2026-09-01&to=2026-11-30'])
    expect(results.period).toBe('last3Months')
    expect(results.summary).toMatchObject({ from: '2026-09-01', to: '2026-11-30' })
  })

  it('around a year boundary: last month of 2026-01-15 is December 2025', async () => {
    const env = await resultsRoot()
    const results = new ResultsStore(env.root.api, () => new Date(2026, 0, 15, 12))
    results.setPeriod('lastMonth')
    await settle()
    const [url] = requestedUrls(env, SUMMARY)
    expect(queryOf(url)).toEqual({ from: '2025-12-01', to: '2025-12-31' })
  })

  it('an error sets `error` with its code and keeps the summary shown; a success clears it', async () => {
    const env = await resultsRoot()
    const results = env.root.results
    await results.loadSummary()
    const shown = results.summary
    env.results.once('GET /api/results/summary', () => json(503, { error: { code: 'SERVER', message: 'down' } }))
    results.setPeriod('lastMonth')
    await settle()
    expect(results.error).toBe('SERVER')
    expect(results.summary).toEqual(shown)

    env.results.once('GET /api/results/summary', () => {
      throw new TransportError('network', 'offline')
    })
    await results.loadSummary()
    expect(results.error).toBe('NETWORK')
    expect(results.summary).toEqual(shown)

    await results.loadSummary()
    expect(results.error).toBeNull()
    expect(results.summary).toMatchObject({ from: '2026-10-01', to: '2026-10-31' })
  })
})

describe('ResultsStore: the list of results', () => {
  it('the first page asks with a limit and no status; a filter adds `status=`', async () => {
    const promotions = [...listed(3), rejectedDetail({ id: 'pr-appealed', listStatus: 'APPEALED' })]
    const env = await resultsRoot({ promotions })
    const results = env.root.results
    await results.loadList()
    results.setFilter('APPEALED')
    await settle()
    results.setFilter(null)
    await settle()
    const urls = requestedUrls(env, LIST)
    expect(urls.map(queryOf)).toEqual([{ limit: '20' }, { limit: '20', status: 'APPEALED' }, { limit: '20' }])
    expect(urls[1]).toBe('/api/results/promotions?limit=20&status=APPEALED')
    expect(results.filter).toBeNull()
    expect(results.items.map((p) => p.id)).toEqual(['pr-1', 'pr-2', 'pr-3', 'pr-appealed'])
  })

  it('a filter replaces the list with its first page', async () => {
    const promotions = [...listed(3), rejectedDetail({ id: 'pr-appealed', listStatus: 'APPEALED' })]
    const env = await resultsRoot({ promotions })
    const results = env.root.results
    await results.loadList()
    results.setFilter('APPEALED')
    await settle()
    expect(results.filter).toBe('APPEALED')
    expect(results.items.map((p) => p.id)).toEqual(['pr-appealed'])
    expect(results.nextCursor).toBeNull()
  })

  it('loadMore appends the next page (with its cursor and the filter) and stops at nextCursor null', async () => {
    const env = await resultsRoot({ promotions: listed(45, { listStatus: 'REJECTED' }) })
    const results = env.root.results
    results.setFilter('REJECTED')
    await settle()
    expect(results.items).toHaveLength(20)
    expect(results.nextCursor).toBe('20')

    await results.loadMore()
    expect(results.items).toHaveLength(40)
    expect(results.nextCursor).toBe('40')
    await results.loadMore()
    expect(results.items.map((p) => p.id)).toEqual(listed(45).map((p) => p.id))
    expect(results.nextCursor).toBeNull()

    await results.loadMore()
    await results.loadMore()
    expect(requestedUrls(env, LIST).map(queryOf)).toEqual([
      { limit: '20', status: 'REJECTED' },
      { limit: '20', status: 'REJECTED', cursor: '20' },
      { limit: '20', status: 'REJECTED', cursor: '40' },
    ])
    expect(results.items).toHaveLength(45)
    expect(results.details.size).toBe(45)
    expect(results.loading).toBe(false)
  })

  it('loadMore while a page is loading asks once', async () => {
    const env = await resultsRoot({ promotions: listed(45) })
    const results = env.root.results
    await results.loadList()
    const a = results.loadMore()
    const b = results.loadMore()
    expect(results.loading).toBe(true)
    await Promise.all([a, b])
    expect(requestedUrls(env, LIST)).toHaveLength(2)
    expect(results.items).toHaveLength(40)
  })

  it('an error sets `error` with the code and keeps the previous items and cursor; loadMore then works again', async () => {
    const env = await resultsRoot({ promotions: listed(25) })
    const results = env.root.results
    await results.loadList()
    const before = results.items.map((p) => p.id)

    env.results.once('GET /api/results/promotions', () => json(500, {}))
    await results.loadMore()
    expect(results.error).toBe('SERVER')
    expect(results.items.map((p) => p.id)).toEqual(before)
    expect(results.nextCursor).toBe('20')
    expect(results.loading).toBe(false)

    env.results.once('GET /api/results/promotions', () => json(403, { error: { code: 'NOT_ASSOCIATED', message: 'no' } }))
    results.setFilter('REJECTED')
    await settle()
    expect(results.error).toBe('NOT_ASSOCIATED')
    expect(results.items.map((p) => p.id)).toEqual(before)

    await results.loadMore()
    expect(results.error).toBeNull()
    expect(results.items).toHaveLength(25)
    expect(results.nextCursor).toBeNull()
  })

  it('refresh loads both the summary and the first page', async () => {
    const env = await resultsRoot({ promotions: listed(2) })
    await env.root.results.refresh()
    expect(requestedUrls(env, '/api/results/')).toEqual(
      expect.arrayContaining(['/api/results/summary?from=2026-11-01&to=2026-11-30', '/api/results/promotions?limit=20']),
    )
    expect(env.root.results.summary).not.toBeNull()
    expect(env.root.results.items).toHaveLength(2)
  })
})

describe('ResultsStore: details', () => {
  it('loadDetail asks for the promotion and keeps it in details and in the list', async () => {
    const env = await resultsRoot({ promotions: listed(2) })
    const results = env.root.results
    await results.loadList()
    env.results.promotions = env.results.promotions.map((p) => (p.id === 'pr-2' ? { ...p, listStatus: 'APPROVED' } : p))
    const detail = await results.loadDetail('pr-2')
    expect(requestedUrls(env, '/api/results/promotions/')).toEqual(['/api/results/promotions/pr-2'])
    expect(detail?.listStatus).toBe('APPROVED')
    expect(results.details.get('pr-2')?.listStatus).toBe('APPROVED')
    expect(results.items[1].listStatus).toBe('APPROVED')
  })

  it('loadDetail of an unknown promotion answers null with NOT_FOUND', async () => {
    const env = await resultsRoot({ promotions: listed(1) })
    expect(await env.root.results.loadDetail('pr-404')).toBeNull()
    expect(env.root.results.error).toBe('NOT_FOUND')
  })

  it('put() updates both the details and the listed item', async () => {
    const env = await resultsRoot({ promotions: listed(3) })
    const results = env.root.results
    await results.loadList()
    const fresher = { ...results.items[1], listStatus: 'APPEALED' as const, actions: { appeal: false, modify: false, verifyPayment: false } }
    results.put(fresher)
    expect(results.details.get('pr-2')).toEqual(fresher)
    expect(results.items[1]).toEqual(fresher)
    expect(results.items.map((p) => p.id)).toEqual(['pr-1', 'pr-2', 'pr-3'])
    expect(results.items[0].listStatus).toBe('REJECTED')
  })

  it('put() of a promotion not listed only adds its detail', async () => {
    const env = await resultsRoot({ promotions: listed(2) })
    const results = env.root.results
    await results.loadList()
    results.put(rejectedDetail({ id: 'pr-elsewhere' }))
    expect(results.details.get('pr-elsewhere')?.id).toBe('pr-elsewhere')
    expect(results.items.map((p) => p.id)).toEqual(['pr-1', 'pr-2'])
  })
})
