/**
 * CSV exports of an ISO's promotions and spots for a period (the console's /console/exports). Streamed: the rows are
 * read in keyset pages (created_at, id) of a few hundred and each page is written before the next is read, on both
 * engines, so that a year of a large ISO never sits in memory. Dates are wall-clock times in the ISO's time zone.
 */
import type { Db } from '../db'
import { csvCell } from '../csv'
import type { IsoRow } from '../repo/isos'
import { addDays, daysBetween, parseCalendarDate, startOfDayIn, wallClockText } from '../timezone'

export type ExportKind = 'promotions' | 'spots'

/** Calendar dates (YYYY-MM-DD), both included, in each ISO's own time zone. */
export interface ExportPeriod {
  from: string
  to: string
}

/** The longest period one export covers. */
export const EXPORT_MAX_DAYS = 366
/** Rows read per query. */
export const EXPORT_PAGE_SIZE = 500

export type PeriodCheck = { ok: true; period: ExportPeriod } | { ok: false; message: string }

/** The period typed in the export form, checked. */
export function checkExportPeriod(from: unknown, to: unknown): PeriodCheck {
  const f = parseCalendarDate(typeof from === 'string' ? from.trim() : from)
  const t = parseCalendarDate(typeof to === 'string' ? to.trim() : to)
  if (!f || !t) return { ok: false, message: 'Enter the period as two dates, From and To, each written YYYY-MM-DD (e.g. 2025-03-01).' }
  if (daysBetween(f, t) < 0) return { ok: false, message: `The period ends (${t}) before it starts (${f}); swap the dates.` }
  if (daysBetween(f, t) + 1 > EXPORT_MAX_DAYS)
    return { ok: false, message: `The period is longer than ${EXPORT_MAX_DAYS} days; export a year or less at a time.` }
  return { ok: true, period: { from: f, to: t } }
}

interface PromotionExportRow {
  id: string
  iso_id: string
  staff_name: string
  product: string
  method: string
  status: string
  store_json: string
  store_review_status: string
  store_review_reason: string | null
  store_decided_at: string | null
  created_at: string
  submitted_at: string | null
  decided_at: string | null
}

interface SpotExportRow {
  promotion_id: string
  idx: number
  position: string
  position_note: string | null
  marketing_code: string | null
  material_type: string | null
  review_status: string
  review_reason: string | null
  decided_at: string | null
}

const PROMOTION_HEADER = [
  'iso_id',
  'iso_name',
  'time_zone',
  'promotion_id',
  'created',
  'submitted',
  'decided',
  'status',
  'product',
  'deployment_method',
  'staff',
  'store_name',
  'store_address',
  'store_review',
  'store_review_reason',
  'store_decided',
  'spots',
  'spots_approved',
  'spots_rejected',
  'spots_pending',
]

const SPOT_HEADER = [
  'iso_id',
  'iso_name',
  'time_zone',
  'promotion_id',
  'promotion_created',
  'promotion_status',
  'staff',
  'store_name',
  'spot',
  'position',
  'position_note',
  'marketing_code',
  'material_type',
  'review',
  'review_reason',
  'decided',
]

const line = (cells: (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`

function storeOf(json: string): { name: string; address: string } {
  try {
    const store = JSON.parse(json) as { name?: unknown; address?: unknown }
    return { name: typeof store.name === 'string' ? store.name : '', address: typeof store.address === 'string' ? store.address : '' }
  } catch {
    return { name: '', address: '' }
  }
}

/** One keyset page: the row-value comparison is a range of the index promotions_iso_created on both engines (each page starts where the last ended). */
const PAGE_SQL = `SELECT p.id, p.iso_id, s.name AS staff_name, p.product, p.method, p.status, p.store_json, p.store_review_status, p.store_review_reason,
    p.store_decided_at, p.created_at, p.submitted_at, p.decided_at
  FROM promotions p JOIN staff s ON s.id = p.staff_id
  WHERE p.iso_id = ? AND p.created_at >= ? AND p.created_at < ? AND (p.created_at, p.id) > (?, ?)
  ORDER BY p.created_at, p.id
  LIMIT ?`

/**
 * The CSV, a chunk per page (the header first): the promotions created in the period (in each ISO's time zone), or
 * their spots, ISO by ISO in the order given. The caller decides which ISOs the account may see.
 */
export async function* exportCsv(db: Db, kind: ExportKind, isos: IsoRow[], period: ExportPeriod, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<string> {
  // a byte-order mark: spreadsheets then read the names (Thai, Chinese…) as UTF-8
  yield `\uFEFF${line(kind === 'promotions' ? PROMOTION_HEADER : SPOT_HEADER)}`
  for (const iso of isos) {
    const tz = iso.timezone
    const local = (at: string | null) => (at ? wallClockText(new Date(at), tz) : '')
    const start = startOfDayIn(period.from, tz).toISOString()
    const end = startOfDayIn(addDays(period.to, 1), tz).toISOString()
    let cursor = { createdAt: '', id: '' }
    for (;;) {
      const page = await db.all<PromotionExportRow>(PAGE_SQL, [iso.id, start, end, cursor.createdAt, cursor.id, pageSize])
      if (page.length === 0) break
      const ids = page.map((p) => p.id)
      const marks = ids.map(() => '?').join(', ')
      let chunk = ''
      if (kind === 'promotions') {
        const counts = await db.all<{ promotion_id: string; review_status: string; n: number }>(
          `SELECT promotion_id, review_status, COUNT(*) AS n FROM promotion_spots WHERE promotion_id IN (${marks}) GROUP BY promotion_id, review_status`,
          ids,
        )
        const count = (id: string, status?: string) =>
          counts.filter((c) => c.promotion_id === id && (status === undefined || c.review_status === status)).reduce((sum, c) => sum + Number(c.n), 0)
        for (const p of page) {
          const store = storeOf(p.store_json)
          chunk += line([
            iso.id,
            iso.name,
            tz,
            p.id,
            local(p.created_at),
            local(p.submitted_at),
            local(p.decided_at),
            p.status,
            p.product,
            p.method,
            p.staff_name,
            store.name,
            store.address,
            p.store_review_status,
            p.store_review_reason,
            local(p.store_decided_at),
            count(p.id),
            count(p.id, 'APPROVED'),
            count(p.id, 'REJECTED'),
            count(p.id, 'PENDING'),
          ])
        }
      } else {
        const spots = await db.all<SpotExportRow>(
          `SELECT promotion_id, idx, position, position_note, marketing_code, material_type, review_status, review_reason, decided_at
             FROM promotion_spots WHERE promotion_id IN (${marks}) ORDER BY promotion_id, idx`,
          ids,
        )
        for (const p of page) {
          const store = storeOf(p.store_json)
          for (const s of spots.filter((x) => x.promotion_id === p.id)) {
            chunk += line([
              iso.id,
              iso.name,
              tz,
              p.id,
              local(p.created_at),
              p.status,
              p.staff_name,
              store.name,
              s.idx + 1,
              s.position,
              s.position_note,
              s.marketing_code,
              s.material_type,
              s.review_status,
              s.review_reason,
              local(s.decided_at),
            ])
          }
        }
      }
      if (chunk) yield chunk
      const last = page[page.length - 1]
      cursor = { createdAt: last.created_at, id: last.id }
      if (page.length < pageSize) break
    }
  }
}
