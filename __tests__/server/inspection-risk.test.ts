import { inspectionRisk, riskReasonText, type RiskFacts } from '../../server/src/services/inspection-risk'
import { startTestServer, type TestServer } from './helpers'
import { createPromotion, evidence, promotionBody } from './promotion-fixtures'
import { review } from './results-fixtures'

const NOW = new Date('2025-06-01T00:00:00.000Z')
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000).toISOString()
const facts = (over: Partial<RiskFacts> = {}): RiskFacts => ({
  approvedAt: daysAgo(10),
  staffDecided: 10,
  staffRejected: 0,
  paymentsByReviewerOnly: false,
  inspectedBefore: true,
  ...over,
})

describe('the risk of an approved promotion (which to inspect first)', () => {
  it('names each reason it counts, and nothing for a recent, inspected deployment by a reliable staff member', () => {
    expect(inspectionRisk(facts(), NOW)).toEqual({ score: 0, reasons: [] })
    expect(inspectionRisk(facts({ staffRejected: 4 }), NOW)).toEqual({ score: 3.4, reasons: [{ kind: 'STAFF_REJECTIONS', rejected: 4, decided: 10 }] })
    expect(inspectionRisk(facts({ approvedAt: daysAgo(130), inspectedBefore: false }), NOW).reasons).toEqual([
      { kind: 'OLD_DEPLOYMENT', days: 130 },
      { kind: 'NEVER_INSPECTED' },
    ])
    expect(inspectionRisk(facts({ paymentsByReviewerOnly: true }), NOW)).toEqual({ score: 1, reasons: [{ kind: 'PAYMENT_BY_REVIEWER' }] })
  })

  it('does not count a rejection rate from too few decisions, nor an old deployment already inspected', () => {
    expect(inspectionRisk(facts({ staffDecided: 2, staffRejected: 2 }), NOW).reasons).toEqual([])
    expect(inspectionRisk(facts({ approvedAt: daysAgo(400) }), NOW).reasons).toEqual([])
  })

  it('ranks more and stronger reasons higher, and older deployments above newer ones', () => {
    const score = (over: Partial<RiskFacts>) => inspectionRisk(facts(over), NOW).score
    expect(score({ staffRejected: 5 })).toBeGreaterThan(score({ staffRejected: 3 }))
    expect(score({ approvedAt: daysAgo(200), inspectedBefore: false })).toBeGreaterThan(score({ approvedAt: daysAgo(70), inspectedBefore: false }))
    expect(score({ staffRejected: 5, paymentsByReviewerOnly: true })).toBeGreaterThan(score({ staffRejected: 5 }))
    expect(riskReasonText({ kind: 'STAFF_REJECTIONS', rejected: 4, decided: 10 })).toBe('The staff member had 4 of 10 promotions rejected in the last 90 days')
  })
})

describe('the console proposes inspections by risk', () => {
  let server: TestServer
  let dao: string
  beforeEach(async () => {
    server = await startTestServer()
    dao = await server.signIn('staff-dao')
  })
  afterEach(() => server.close())

  /** Dao's approved (or rejected) promotion, Deploy-Then-Verify; answers its id. */
  async function decided(decision: 'approve' | 'reject'): Promise<string> {
    const p = await createPromotion(server, dao, await promotionBody(server, dao, { product: 'PRIMARY_POSM', spots: 1 }))
    for (const mode of ['MPM', 'UPM'] as const) {
      expect(
        (await server.api('POST', `/api/promotions/${p.id}/payment-verifications`, { token: dao, body: await evidence(server, dao, mode) })).statusCode,
      ).toBe(200)
    }
    await review(server, p.id, decision, [decision])
    return p.id
  }

  it('ranks approved promotions without an open task with their reasons; Assign chooses one in the form; an assigned one leaves the list', async () => {
    const recent = await decided('approve')
    const old = await decided('approve')
    await server.db.run('UPDATE promotions SET decided_at = ? WHERE id = ?', [new Date(server.clock.now().getTime() - 100 * 86_400_000).toISOString(), old])
    const page = (await server.consoleGet('/console/inspections')).body
    const rows = [...page.matchAll(/<tr data-proposal="([^"]+)" data-score="([^"]+)">([\s\S]*?)<\/tr>/g)]
    const ids = rows.map((r) => r[1])
    // the seeded promotions have open tasks: not proposed; the old deployment first, with its reasons named
    expect(ids.indexOf(old)).toBeLessThan(ids.indexOf(recent))
    expect(ids).not.toContain('prm-seed-kopi')
    const oldRow = rows.find((r) => r[1] === old)![3]
    expect(oldRow).toContain('Approved 100 days ago and never inspected')
    expect(oldRow).toContain('Never inspected')
    expect(oldRow).toContain(`href="/console/inspections?promotionId=${old}#assign-heading"`)

    // the Assign link chooses the promotion in the form
    const chosen = (await server.consoleGet(`/console/inspections?promotionId=${old}`)).body
    expect(chosen).toMatch(new RegExp(`<option value="${old}" selected>`))

    // once assigned, it is no longer proposed
    expect((await server.consolePost('/console/inspections', { promotionId: old, staffId: 'staff-dao', dueDate: '2025-03-20' })).statusCode).toBe(303)
    expect((await server.consoleGet('/console/inspections')).body).not.toContain(`data-proposal="${old}"`)
  })

  it('names a staff member’s high rejection rate', async () => {
    for (let i = 0; i < 2; i++) await decided('reject')
    const approved = await decided('approve')
    const page = (await server.consoleGet('/console/inspections')).body
    const row = page.match(new RegExp(`<tr data-proposal="${approved}"[\\s\\S]*?</tr>`))![0]
    // (with Dao's seeded Warung Sate, approved yesterday: 4 decided)
    expect(row).toMatch(/The staff member had 2 of 4 promotions rejected in the last 90 days/)
  })
})
