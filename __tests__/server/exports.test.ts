/**
 * CSV exports for the ISO (/console/exports): an ISO reviewer downloads their ISO's promotions and spots for a
 * period (status, reasons, dates in the ISO's time zone), an Alipay+ reviewer every ISO's; nobody gets another
 * ISO's rows, cells a spreadsheet would run as formulas are defused, and the file is written page by page.
 */
import { exportCsv } from '../../server/src/services/exports'
import type { Db, SqlParams } from '../../server/src/db'
import type { IsoRow } from '../../server/src/repo/isos'
import { DEV_ACCOUNT, startTestServer, type TestServer } from './helpers'

/** RFC 4180 rows (quoted cells with "" and line breaks), the byte-order mark dropped. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  const body = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += ch
  }
  if (cell !== '' || row.length) rows.push([...row, cell])
  return rows
}

/** The rows as objects by header. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text)
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])))
}

interface Extra {
  id: string
  isoId: string
  staffId: string
  createdAt: string
  storeName: string
  spots: Array<{ status: 'PENDING' | 'APPROVED' | 'REJECTED'; reason?: string; decidedAt?: string }>
  status?: string
  storeReason?: string
}

/** A promotion straight into the database (with its photos' rows), as the submission and review would leave it. */
async function insertPromotion(db: Db, p: Extra): Promise<void> {
  const store = { name: p.storeName, address: '1 Export Street', category: 'RETAIL', wallets: ['ALIPAY'] }
  await db.run(
    `INSERT INTO promotions (id, client_id, staff_id, iso_id, product, method, status, store_json, merchant_json, store_review_status, store_review_reason,
       created_at, submitted_at, decided_at, store_decided_at, updated_at)
     VALUES (?, ?, ?, ?, 'PRIMARY_POSM', 'VERIFY_THEN_DEPLOY', ?, ?, '{}', ?, ?, ?, ?, NULL, NULL, ?)`,
    [
      p.id,
      `c-${p.id}`,
      p.staffId,
      p.isoId,
      p.status ?? 'PENDING_REVIEW',
      JSON.stringify(store),
      p.storeReason ? 'REJECTED' : 'PENDING',
      p.storeReason ?? null,
      p.createdAt,
      p.createdAt,
      p.createdAt,
    ],
  )
  for (const [idx, spot] of p.spots.entries()) {
    const upload = `upl-${p.id}-${idx}`
    await db.run(`INSERT INTO uploads (id, staff_id, sha256, mime, size, stored_name, created_at, promotion_id) VALUES (?, ?, ?, 'image/jpeg', 1, ?, ?, ?)`, [
      upload,
      p.staffId,
      `${p.id}-${idx}`.padEnd(64, '0'),
      `${p.id}-${idx}.jpg`,
      p.createdAt,
      p.id,
    ])
    await db.run(
      `INSERT INTO promotion_spots (promotion_id, idx, position, photo_id, material_type, review_status, review_reason, decided_at)
       VALUES (?, ?, 'WALL', ?, 'STICKER', ?, ?, ?)`,
      [p.id, idx, upload, spot.status, spot.reason ?? null, spot.decidedAt ?? null],
    )
  }
}

describe('CSV exports', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer()
    // Singapore is UTC+8, Jakarta UTC+7: 2025-03-31T16:30Z is 00:30 on 1 April in Singapore, 23:30 on 31 March in Jakarta
    await insertPromotion(server.db, {
      id: 'prm-x-lion-late',
      isoId: 'iso-lioncity',
      staffId: 'staff-chen',
      createdAt: '2025-03-31T16:30:00.000Z',
      storeName: 'Late Night Kopi',
      spots: [{ status: 'PENDING' }],
    })
    await insertPromotion(server.db, {
      id: 'prm-x-lion-formula',
      isoId: 'iso-lioncity',
      staffId: 'staff-chen',
      createdAt: '2025-03-10T03:00:00.000Z',
      storeName: '=HYPERLINK("http://evil.example","Click, me")',
      status: 'REJECTED',
      storeReason: '+the storefront photo is blurred',
      spots: [
        { status: 'APPROVED', decidedAt: '2025-03-11T01:00:00.000Z' },
        { status: 'REJECTED', reason: '@the sticker is not visible', decidedAt: '2025-03-11T15:59:00.000Z' },
      ],
    })
    await insertPromotion(server.db, {
      id: 'prm-x-nus-late',
      isoId: 'iso-nusantara',
      staffId: 'staff-dao',
      createdAt: '2025-03-31T16:30:00.000Z',
      storeName: 'Warung Malam',
      spots: [{ status: 'REJECTED', reason: 'Wrong material', decidedAt: '2025-04-01T02:00:00.000Z' }],
    })
  })
  afterEach(() => server.close())

  const MARCH = 'from=2025-01-01&to=2025-03-31'

  it('an ISO reviewer gets their ISO’s promotions and spots, with dates in its time zone and formulas defused, and nothing of another ISO', async () => {
    const lion = server.consoleAs(DEV_ACCOUNT.lioncity)
    const page = await lion.get('/console/exports')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Lion City Payments Pte. Ltd.')
    expect(page.body).not.toContain('Nusantara')

    const res = await lion.get(`/console/exports/promotions.csv?${MARCH}`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toBe('attachment; filename="posm-promotions-iso-lioncity-2025-01-01-to-2025-03-31.csv"')
    const rows = records(res.body)
    // the late one is in April in Singapore's calendar
    expect(rows.map((r) => r.promotion_id).sort()).toEqual(['prm-seed-kopi', 'prm-seed-laksa', 'prm-x-lion-formula'])
    expect(new Set(rows.map((r) => r.iso_id))).toEqual(new Set(['iso-lioncity']))
    expect(res.body).not.toMatch(/nusantara|Warung|Dao Minh Anh/i)
    const formula = rows.find((r) => r.promotion_id === 'prm-x-lion-formula')!
    expect(formula).toMatchObject({
      time_zone: 'Asia/Singapore',
      created: '2025-03-10 11:00',
      status: 'REJECTED',
      staff: 'Chen Wei',
      store_name: `'=HYPERLINK("http://evil.example","Click, me")`,
      store_review: 'REJECTED',
      store_review_reason: "'+the storefront photo is blurred",
      spots: '2',
      spots_approved: '1',
      spots_rejected: '1',
      spots_pending: '0',
    })
    // the raw cell is quoted as the audit CSV quotes it
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"",""Click, me"")"`)

    const april = records((await lion.get('/console/exports/promotions.csv?from=2025-04-01&to=2025-04-30')).body)
    expect(april.map((r) => [r.promotion_id, r.created])).toEqual([['prm-x-lion-late', '2025-04-01 00:30']])

    const spots = records((await lion.get(`/console/exports/spots.csv?${MARCH}`)).body)
    expect(new Set(spots.map((r) => r.iso_id))).toEqual(new Set(['iso-lioncity']))
    expect(spots.filter((r) => r.promotion_id === 'prm-x-lion-formula')).toEqual([
      expect.objectContaining({ spot: '1', review: 'APPROVED', review_reason: '', decided: '2025-03-11 09:00' }),
      expect.objectContaining({ spot: '2', review: 'REJECTED', review_reason: "'@the sticker is not visible", decided: '2025-03-11 23:59' }),
    ])

    // another ISO, asked for by name: refused, nothing sent
    for (const kind of ['promotions.csv', 'spots.csv']) {
      const other = await lion.get(`/console/exports/${kind}?${MARCH}&iso=iso-nusantara`)
      expect(other.statusCode).toBe(403)
      expect(other.body).not.toMatch(/Warung|prm-x-nus/)
    }
  })

  it('an Alipay+ reviewer gets every ISO, or one; other roles and visitors get nothing', async () => {
    const alipay = server.consoleAs(DEV_ACCOUNT.alipay)
    const all = records((await alipay.get(`/console/exports/promotions.csv?${MARCH}`)).body)
    expect(all.map((r) => r.promotion_id).sort()).toEqual(['prm-seed-kopi', 'prm-seed-laksa', 'prm-seed-warung', 'prm-x-lion-formula', 'prm-x-nus-late'])
    // 23:30 on 31 March in Jakarta
    expect(all.find((r) => r.promotion_id === 'prm-x-nus-late')).toMatchObject({ time_zone: 'Asia/Jakarta', created: '2025-03-31 23:30' })
    const one = await alipay.get(`/console/exports/spots.csv?${MARCH}&iso=iso-nusantara`)
    expect(one.headers['content-disposition']).toContain('posm-spots-iso-nusantara-')
    expect(new Set(records(one.body).map((r) => r.iso_id))).toEqual(new Set(['iso-nusantara']))
    expect(records(one.body).find((r) => r.promotion_id === 'prm-x-nus-late')).toMatchObject({
      review: 'REJECTED',
      review_reason: 'Wrong material',
      decided: '2025-04-01 09:00',
    })
    expect((await alipay.get(`/console/exports/spots.csv?${MARCH}&iso=iso-nope`)).statusCode).toBe(404)

    const coordinator = server.consoleAs(DEV_ACCOUNT.coordinator)
    expect((await coordinator.get('/console/exports')).statusCode).toBe(403)
    expect((await coordinator.get(`/console/exports/promotions.csv?${MARCH}`)).statusCode).toBe(403)
    const visitor = await server.consoleGet(`/console/exports/promotions.csv?${MARCH}`, null)
    expect([visitor.statusCode, String(visitor.headers.location)]).toEqual([303, expect.stringMatching(/^\/console\/sign-in/)])
  })

  it('refuses a period it cannot read, one that ends before it starts, and one longer than a year, saying which', async () => {
    const lion = server.consoleAs(DEV_ACCOUNT.lioncity)
    const cases: Array<[string, RegExp]> = [
      ['', /Enter the period as two dates/],
      ['from=2025-02-30&to=2025-03-31', /Enter the period as two dates/],
      ['from=2025-03-31&to=2025-03-01', /ends \(2025-03-01\) before it starts \(2025-03-31\)/],
      ['from=2024-01-01&to=2025-03-31', /longer than 366 days/],
    ]
    for (const [query, message] of cases) {
      const res = await lion.get(`/console/exports/promotions.csv?${query}`)
      expect([query, res.statusCode]).toEqual([query, 400])
      expect([query, res.body]).toEqual([query, expect.stringMatching(message)])
    }
    expect((await lion.get(`/console/exports/everything.csv?${MARCH}`)).statusCode).toBe(404)
  })

  it('reads the rows a page at a time (keyset), never the whole period at once', async () => {
    for (let i = 0; i < 10; i++) {
      await insertPromotion(server.db, {
        id: `prm-x-bulk-${String(i).padStart(2, '0')}`,
        isoId: 'iso-nusantara',
        staffId: 'staff-dao',
        // two share each instant: the keyset goes on by id
        createdAt: `2025-02-0${1 + Math.floor(i / 2)}T05:00:00.000Z`,
        storeName: `Bulk ${i}`,
        spots: [{ status: 'PENDING' }, { status: 'APPROVED' }],
      })
    }
    let largest = 0
    let queries = 0
    const counting: Db = {
      ...server.db,
      all: async <T>(sql: string, params?: SqlParams) => {
        const rows = await server.db.all<T>(sql, params)
        queries++
        largest = Math.max(largest, rows.length)
        return rows
      },
    }
    const iso = (await server.db.get<IsoRow>("SELECT * FROM isos WHERE id = 'iso-nusantara'"))!
    const chunks: string[] = []
    for await (const chunk of exportCsv(counting, 'spots', [iso], { from: '2025-02-01', to: '2025-02-28' }, 3)) chunks.push(chunk)
    const rows = records(chunks.join(''))
    expect(rows).toHaveLength(20)
    expect(new Set(rows.map((r) => r.promotion_id)).size).toBe(10)
    // header, then one chunk per page of 3 promotions (6 spots)
    expect(chunks.length).toBe(1 + 4)
    expect(largest).toBeLessThanOrEqual(6)
    expect(queries).toBeGreaterThanOrEqual(8)
  })
})
