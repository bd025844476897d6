/**
 * Issue 26 item 5: the Alipay+ review queue (GET /console/promotions) filtered by ISO, product, submission
 * dates, status and evidence level, searched by store name, ordered by submission time or weakest evidence
 * first, keyset-paged 50 at a time with links that keep the filters; bad query values answered with a message,
 * the other filters kept. 120 promotions are stored directly through the repository, each with its evidence
 * summary. Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import type { ProductKind, PromotionStatus } from '../../packages/contract/promotion'
import { EVIDENCE_RANK, type EvidenceLevel, type EvidenceReason } from '../../server/src/evidence/summary'
import { storeNameKey } from '../../server/src/evidence/rules'
import { createPromotionRepo } from '../../server/src/repo/promotions'
import './engine'
import { startTestServer, type TestServer } from './helpers'

interface Made {
  id: string
  iso: string
  product: ProductKind
  status: PromotionStatus
  level: EvidenceLevel
  queuedAt: string
  name: string
}

const BASE = Date.parse('2026-03-01T00:00:00.000Z')
const HOUR = 60 * 60 * 1000
const SPECIAL_NAMES: Record<number, string> = { 7: 'Kopi KENANGAN Sudirman', 8: 'Toko 100% Jaya', 9: 'Ｋｏｐｉ Ｔｅｒａｓ' }

/** The i-th promotion: two ISOs, two products, three levels, 100 pending and 20 decided, two by two at the same time (ties). */
function made(i: number): Made {
  const n = String(i).padStart(3, '0')
  return {
    id: `prm-q${n}`,
    iso: i % 2 === 0 ? 'iso-lioncity' : 'iso-nusantara',
    product: i % 3 === 0 ? 'PRIMARY_POSM' : 'MARKETING_CODE',
    status: i < 100 ? 'PENDING_REVIEW' : i < 110 ? 'APPROVED' : 'REJECTED',
    level: i % 5 === 0 ? 'WEAK' : i % 5 < 3 ? 'LOOK_CLOSELY' : 'GOOD',
    // in reverse: the ids' order is not the queue's
    queuedAt: new Date(BASE + Math.floor((119 - i) / 2) * HOUR).toISOString(),
    name: `Queue Store ${n} ${SPECIAL_NAMES[i] ?? 'Warung'}`,
  }
}

const REASONS: Record<EvidenceLevel, EvidenceReason[]> = {
  WEAK: [{ kind: 'CODE_DIFFERENT', field: 'spots.0.photoId', uploadId: 'upl-x' }],
  LOOK_CLOSELY: [{ kind: 'LOCATION_FAR', field: 'store.storefrontPhotoId', uploadId: 'upl-y', meters: 912_000 }],
  GOOD: [],
}

const ALL = Array.from({ length: 120 }, (_, i) => made(i))
const byTime = (a: Made, b: Made) => (a.queuedAt < b.queuedAt ? -1 : a.queuedAt > b.queuedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
const byEvidence = (a: Made, b: Made) => EVIDENCE_RANK[a.level] - EVIDENCE_RANK[b.level] || byTime(a, b)
const ids = (rows: Made[]) => rows.map((m) => m.id)

describe('console: the review queue filtered, searched, ordered and paged', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
    const repo = createPromotionRepo(server.db)
    for (const m of ALL) {
      await repo.insert({
        id: m.id,
        client_id: `c-${m.id}`,
        staff_id: m.iso === 'iso-lioncity' ? 'staff-chen' : 'staff-dao',
        iso_id: m.iso,
        product: m.product,
        method: 'VERIFY_THEN_DEPLOY',
        status: m.status,
        store_json: JSON.stringify({ name: m.name, address: `${m.id} street`, storefrontPhotoId: `upl-${m.id}` }),
        merchant_json: '{}',
        created_at: new Date(Date.parse(m.queuedAt) - 24 * HOUR).toISOString(),
        submitted_at: m.queuedAt,
      })
      await repo.setEvidenceSummary(m.id, {
        level: m.level,
        rank: EVIDENCE_RANK[m.level],
        reasons: JSON.stringify(REASONS[m.level]),
        storeNameKey: storeNameKey(m.name),
      })
    }
  })
  afterAll(() => server.close())

  /** The page, and the promotions listed in its review-queue section, in order. */
  async function page(url: string) {
    const res = await server.consoleGet(url)
    const body = res.body
    const section = body.slice(body.indexOf('id="review-queue"'), body.indexOf('id="awaiting-payment"'))
    const listed = [...section.matchAll(/<tr data-promotion-id="([^"]+)"/g)].map((m) => m[1])
    const link = (rel: string) => {
      const href = new RegExp(`rel="${rel}" href="([^"]+)"`).exec(section)?.[1]
      return href?.replace(/&amp;/g, '&')
    }
    return { res, body, section, listed, next: link('next'), previous: link('prev') }
  }

  /** Every page from `url` on, following Next. */
  async function allPages(url: string): Promise<string[][]> {
    const pages: string[][] = []
    let at: string | undefined = url
    while (at) {
      const p = await page(at)
      expect(p.res.statusCode).toBe(200)
      pages.push(p.listed)
      at = p.next
      if (pages.length > 10) throw new Error('paging does not end')
    }
    return pages
  }

  it('lists pending promotions oldest first, 50 a page, and pages on with Next (ties in time by id)', async () => {
    const pending = ALL.filter((m) => m.status === 'PENDING_REVIEW').sort(byTime)
    const pages = await allPages('/console/promotions')
    expect(pages.map((p) => p.length)).toEqual([50, 50])
    expect(pages.flat()).toEqual(ids(pending))
  })

  it('pages through every status, weakest evidence first, and back with Previous, keeping the filters in the links', async () => {
    const url = '/console/promotions?status=ALL&sort=evidence&q=queue+store'
    const expected = ids([...ALL].sort(byEvidence))
    const first = await page(url)
    expect(first.listed).toEqual(expected.slice(0, 50))
    expect(first.previous).toBeUndefined()
    expect(first.next).toMatch(/status=ALL/)
    expect(first.next).toMatch(/sort=evidence/)
    expect(first.next).toMatch(/q=queue\+store/)
    const second = await page(first.next as string)
    expect(second.listed).toEqual(expected.slice(50, 100))
    const third = await page(second.next as string)
    expect(third.listed).toEqual(expected.slice(100, 120))
    expect(third.next).toBeUndefined()
    // back
    const backToSecond = await page(third.previous as string)
    expect(backToSecond.listed).toEqual(expected.slice(50, 100))
    const backToFirst = await page(backToSecond.previous as string)
    expect(backToFirst.listed).toEqual(expected.slice(0, 50))
    expect(backToFirst.previous).toBeUndefined()
    expect(backToFirst.next).toBeDefined()
    // the links are keyset positions, not offsets
    expect(decodeURIComponent(first.next as string)).toMatch(/after=\d~2026-03-0\dT[\d:.]+Z~prm-q\d{3}/)
    expect(first.next).not.toMatch(/offset|page=/)
  })

  it('shows each row with its evidence level and the reasons for it', async () => {
    const { section } = await page('/console/promotions?level=WEAK')
    const row = section.slice(section.indexOf('<tr data-promotion-id="prm-q000"'))
    const cell = row.slice(0, row.indexOf('</tr>'))
    expect(cell).toContain('data-evidence-level="WEAK"')
    expect(cell).toContain('data-evidence-reason="CODE_DIFFERENT"')
    expect(cell).toContain('Photo shows another code (spot 1 photo)')
    const look = (await page('/console/promotions?level=LOOK_CLOSELY')).section
    expect(look).toContain('Taken far from the store (storefront photo)')
    expect(look).not.toContain('data-evidence-level="WEAK"')
  })

  it('filters by ISO, product, evidence level, status and submission dates together', async () => {
    const match = (m: Made) => m.iso === 'iso-nusantara' && m.product === 'PRIMARY_POSM' && m.level === 'WEAK'
    const all = (await allPages('/console/promotions?status=ALL&iso=iso-nusantara&product=PRIMARY_POSM&level=WEAK')).flat()
    expect(all).toEqual(ids(ALL.filter(match).sort(byTime)))
    expect(all.length).toBeGreaterThan(0)

    // every status, no other filter: the seeded promotions too, oldest first
    const any = await page('/console/promotions?status=ALL')
    expect(any.res.statusCode).toBe(200)
    expect(any.listed).toHaveLength(50)
    expect(any.listed.filter((id) => id.startsWith('prm-q'))).toEqual(
      ids([...ALL].sort(byTime)).slice(0, any.listed.filter((id) => id.startsWith('prm-q')).length),
    )

    const rejected = (await page('/console/promotions?status=REJECTED')).listed
    expect(rejected).toEqual(ids(ALL.filter((m) => m.status === 'REJECTED').sort(byTime)))

    // submitted on 2 March (UTC), both ends included
    const day = (await allPages('/console/promotions?status=ALL&q=queue&from=2026-03-02&to=2026-03-02')).flat()
    expect(day).toEqual(ids(ALL.filter((m) => m.queuedAt.startsWith('2026-03-02')).sort(byTime)))
    expect(day).toHaveLength(48)
  })

  it('searches any part of the store name, ignoring case, full-width forms and punctuation', async () => {
    expect((await page('/console/promotions?q=KENANGAN')).listed).toEqual(['prm-q007'])
    expect((await page('/console/promotions?q=kopi')).listed.sort()).toEqual(['prm-q007', 'prm-q009'])
    expect((await page('/console/promotions?q=100%25')).listed).toEqual(['prm-q008'])
    // punctuation and spacing as storeNameKey compares names (evidence/rules.ts)
    expect((await page('/console/promotions?q=kopi-kenangan')).listed).toEqual(['prm-q007'])
    const none = await page('/console/promotions?q=nowhere')
    expect(none.listed).toEqual([])
    expect(none.section).toContain('No promotions match these filters.')
  })

  it('answers bad values with a message on the page, dropping only them and keeping the other filters', async () => {
    const bad = await page('/console/promotions?status=SOON&level=GREAT&from=2026-02-30&iso=iso-nowhere&sort=random&q=kenangan')
    expect(bad.res.statusCode).toBe(400)
    for (const message of [
      'Status: choose one of the list',
      'Evidence: choose Weak, Look closely or Good',
      'Submitted from: enter a date as YYYY-MM-DD',
      'ISO: there is no such ISO',
      'Order: choose oldest first or weakest evidence first',
    ])
      expect(bad.section).toContain(message)
    // the search is kept (in the form and applied), the rest back to their defaults
    expect(bad.section).toContain('value="kenangan"')
    expect(bad.listed).toEqual(['prm-q007'])

    const reversed = await page('/console/promotions?from=2026-03-03&to=2026-03-01')
    expect(reversed.res.statusCode).toBe(400)
    expect(reversed.section).toContain('Submitted from is after Submitted to')

    const link = await page('/console/promotions?after=1~yesterday~x%27%20OR%201%3D1&level=GOOD')
    expect(link.res.statusCode).toBe(400)
    expect(link.section).toContain('The page link is not valid (showing the first page).')
    expect(link.listed).toEqual(ids(ALL.filter((m) => m.status === 'PENDING_REVIEW' && m.level === 'GOOD').sort(byTime)).slice(0, 50))

    const long = await page(`/console/promotions?q=${'a'.repeat(101)}`)
    expect(long.res.statusCode).toBe(400)
    expect(long.section).toContain('Store name: search at most 100 characters')
  })
})
