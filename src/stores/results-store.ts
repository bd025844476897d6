import { makeAutoObservable, observable, flow } from 'mobx'
import type { ErrorCode } from '../../packages/contract/errors'
import type { PromotionDetail, ResultFilter, ResultsSummary } from '../../packages/contract/results'
import { periodRange, todayIn, type Period } from '../../packages/contract/rules/period'
import { requestIdOf, toApiError, type ApiClient } from '../services/api-client'
import { awaited } from './awaited'

/**
 * Review results: the figures for a period (as of the end of yesterday in the ISO's time zone), the
 * stores newest first with a status filter and pages, and each promotion's detail.
 */
export class ResultsStore {
  period: Period = 'thisMonth'
  summary: ResultsSummary | null = null
  filter: ResultFilter | null = null
  items: PromotionDetail[] = []
  nextCursor: string | null = null
  loading = false
  error: ErrorCode | null = null
  /** The server's id of the request behind `error` (shown under it, for staff to quote to support). */
  errorRequestId: string | null = null
  /** Each promotion's detail by id (a map: its keys come and go). */
  details = observable.map<string, PromotionDetail>()

  constructor(
    private readonly api: ApiClient,
    private readonly now: () => Date = () => new Date(),
    /** The ISO's time zone: periods are calendar dates there. */
    private readonly timezone: () => string | undefined = () => undefined,
  ) {
    makeAutoObservable<this, 'api' | 'now' | 'timezone'>(this, { api: false, now: false, timezone: false }, { autoBind: true })
  }

  setPeriod(period: Period) {
    this.period = period
    void this.loadSummary()
  }

  setFilter(filter: ResultFilter | null) {
    this.filter = filter
    void this.loadList()
  }

  async refresh() {
    await Promise.all([this.loadSummary(), this.loadList()])
  }

  loadSummary = flow(function* (this: ResultsStore) {
    const { from, to } = periodRange(this.period, todayIn(this.timezone(), this.now()))
    try {
      const summary = yield* awaited(this.api.call('GET /api/results/summary', undefined, { from, to }))
      this.summary = summary
      this.error = null
      this.errorRequestId = null
    } catch (e) {
      this.error = toApiError(e).code
      this.errorRequestId = requestIdOf(e)
    }
  })

  /** The first page for the current filter. */
  async loadList() {
    await this.page(null)
  }

  async loadMore() {
    if (this.nextCursor && !this.loading) await this.page(this.nextCursor)
  }

  private page = flow(function* (this: ResultsStore, cursor: string | null) {
    this.loading = true
    const query: Record<string, string> = { limit: '20' }
    if (this.filter) query.status = this.filter
    if (cursor) query.cursor = cursor
    try {
      const page = yield* awaited(this.api.call('GET /api/results/promotions', undefined, query))
      this.items = cursor ? [...this.items, ...page.items] : page.items
      this.nextCursor = page.nextCursor
      for (const item of page.items) this.details.set(item.id, item)
      this.error = null
      this.errorRequestId = null
    } catch (e) {
      this.error = toApiError(e).code
      this.errorRequestId = requestIdOf(e)
    } finally {
      this.loading = false
    }
  })

  loadDetail = flow(function* (this: ResultsStore, id: string) {
    try {
      const detail = yield* awaited(this.api.call('GET /api/results/promotions/:id', undefined, { id }))
      this.put(detail)
      return detail
    } catch (e) {
      this.error = toApiError(e).code
      this.errorRequestId = requestIdOf(e)
      return null
    }
  })

  /** A fresher detail (from the server's answer to an appeal or a resubmission). */
  put(detail: PromotionDetail) {
    this.details.set(detail.id, detail)
    const i = this.items.findIndex((p) => p.id === detail.id)
    if (i >= 0) this.items[i] = detail
  }
}
