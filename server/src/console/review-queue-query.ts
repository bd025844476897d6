import type { ProductKind, PromotionStatus } from '../../../packages/contract/promotion'
import { EVIDENCE_RANK, type EvidenceLevel } from '../evidence/summary'
import { storeNameKey } from '../evidence/rules'
import type { QueueCursor, QueueFilter, QueueSort } from '../repo/promotions'

/**
 * The Alipay+ review queue's query string (GET /console/promotions): its filters, order and keyset position,
 * validated. A bad value is dropped (its filter back to the default) with a message naming it; the other
 * filters are kept.
 */
export interface QueueQuery {
  status: PromotionStatus | 'ALL'
  /** '' any ISO. */
  iso: string
  product: ProductKind | ''
  level: EvidenceLevel | ''
  /** Submission dates (UTC), YYYY-MM-DD, both included; '' open. */
  from: string
  to: string
  /** Searched in the store's name (any part of it, case and width ignored). */
  q: string
  sort: QueueSort
  after?: QueueCursor
  before?: QueueCursor
}

export const QUEUE_PAGE_SIZE = 50
export const SEARCH_MAX = 100

export const QUEUE_STATUSES: ReadonlyArray<PromotionStatus | 'ALL'> = ['PENDING_REVIEW', 'AWAITING_PAYMENT_VERIFICATION', 'APPROVED', 'REJECTED', 'ALL']
const PRODUCTS: readonly ProductKind[] = ['MARKETING_CODE', 'PRIMARY_POSM']
const LEVELS: readonly EvidenceLevel[] = ['WEAK', 'LOOK_CLOSELY', 'GOOD']

export const DEFAULT_QUEUE_QUERY: QueueQuery = { status: 'PENDING_REVIEW', iso: '', product: '', level: '', from: '', to: '', q: '', sort: 'time' }

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const CURSOR = /^([0-3])~(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)~([A-Za-z0-9_-]{1,100})$/

/** A cursor as a link carries it: rank~time~id. */
export function cursorText(c: QueueCursor): string {
  return `${c.rank}~${c.at}~${c.id}`
}

function parseCursor(text: string): QueueCursor | null {
  const m = CURSOR.exec(text)
  return m ? { rank: Number(m[1]), at: m[2], id: m[3] } : null
}

/** A real calendar date, or null. */
function parseDate(text: string): string | null {
  const m = DATE.exec(text)
  if (!m) return null
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.toISOString().slice(0, 10) === text ? text : null
}

const one = (query: Record<string, unknown>, name: string): string => {
  const v = query[name]
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' ? s.trim() : ''
}

/** The query string read: the valid filters, and a message per bad value. `isoIds`: the ISOs there are. */
export function parseQueueQuery(raw: unknown, isoIds: ReadonlySet<string>): { query: QueueQuery; problems: string[] } {
  const query: Record<string, unknown> = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}
  const out: QueueQuery = { ...DEFAULT_QUEUE_QUERY }
  const problems: string[] = []
  const status = one(query, 'status')
  if (status) {
    if ((QUEUE_STATUSES as readonly string[]).includes(status)) out.status = status as QueueQuery['status']
    else problems.push('Status: choose one of the list (showing those pending review).')
  }
  const iso = one(query, 'iso')
  if (iso) {
    if (isoIds.has(iso)) out.iso = iso
    else problems.push('ISO: there is no such ISO (showing every ISO).')
  }
  const product = one(query, 'product')
  if (product) {
    if ((PRODUCTS as readonly string[]).includes(product)) out.product = product as ProductKind
    else problems.push('Product: choose one of the list (showing both products).')
  }
  const level = one(query, 'level')
  if (level) {
    if ((LEVELS as readonly string[]).includes(level)) out.level = level as EvidenceLevel
    else problems.push('Evidence: choose Weak, Look closely or Good (showing every level).')
  }
  for (const [name, label] of [
    ['from', 'Submitted from'],
    ['to', 'Submitted to'],
  ] as const) {
    const text = one(query, name)
    if (!text) continue
    if (parseDate(text)) out[name] = text
    else problems.push(`${label}: enter a date as YYYY-MM-DD, e.g. 2026-03-01 (the filter is left out).`)
  }
  if (out.from && out.to && out.from > out.to) {
    problems.push('Submitted from is after Submitted to: no submission can match (the dates are left out).')
    out.from = ''
    out.to = ''
  }
  const q = one(query, 'q')
  if (q.length > SEARCH_MAX) problems.push(`Store name: search at most ${SEARCH_MAX} characters (the search is left out).`)
  else out.q = q
  const sort = one(query, 'sort')
  if (sort) {
    if (sort === 'time' || sort === 'evidence') out.sort = sort
    else problems.push('Order: choose oldest first or weakest evidence first (showing oldest first).')
  }
  for (const name of ['after', 'before'] as const) {
    const text = one(query, name)
    if (!text) continue
    const cursor = parseCursor(text)
    if (cursor) out[name] = cursor
    else problems.push('The page link is not valid (showing the first page).')
  }
  if (out.after && out.before) {
    problems.push('The page link is not valid (showing the first page).')
    delete out.after
    delete out.before
  }
  return { query: out, problems: [...new Set(problems)] }
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00.000Z`) + 24 * 60 * 60 * 1000).toISOString()

/** The repository's filter for a query. */
export function queueFilter(q: QueueQuery): QueueFilter {
  const search = q.q ? storeNameKey(q.q) : ''
  return {
    statuses: q.status === 'ALL' ? ['PENDING_REVIEW', 'AWAITING_PAYMENT_VERIFICATION', 'APPROVED', 'REJECTED'] : [q.status],
    isoId: q.iso || null,
    product: q.product || null,
    rank: q.level ? EVIDENCE_RANK[q.level] : null,
    from: q.from ? `${q.from}T00:00:00.000Z` : null,
    to: q.to ? nextDay(q.to) : null,
    search: search || null,
  }
}

/** The query string of a query (its defaults left out), with a page position. */
export function queueHref(q: QueueQuery, position: { after?: QueueCursor; before?: QueueCursor } = {}): string {
  const params = new URLSearchParams()
  const keys = ['status', 'iso', 'product', 'level', 'from', 'to', 'q', 'sort'] as const
  for (const key of keys) if (q[key] !== DEFAULT_QUEUE_QUERY[key]) params.set(key, q[key])
  if (position.after) params.set('after', cursorText(position.after))
  if (position.before) params.set('before', cursorText(position.before))
  const text = params.toString()
  return text ? `/console/promotions?${text}` : '/console/promotions'
}
