import type { PromotionDetail } from '../../packages/contract/results'
import { startTestServer, type TestServer } from './helpers'
import { uploadPhoto } from './promotion-fixtures'
import { appeal, detail, review, submit, summary } from './results-fixtures'

describe('console: appeals', () => {
  let server: TestServer
  let chen: string
  beforeEach(async () => {
    server = await startTestServer()
    chen = await server.signIn('staff-chen')
  })
  afterEach(() => server.close())

  /** A rejected promotion of staff-chen with an open appeal (one evidence photo). */
  async function appealed(): Promise<{ id: string; appealId: string; photo: string }> {
    const p = await submit(server, chen, 'staff-chen', { spots: 2, store: { name: 'Kopi <Appeal>' } })
    await review(server, p.id, 'reject', ['approve', 'reject'])
    const photo = await uploadPhoto(server, chen)
    const res = await appeal(server, chen, p.id, { reason: 'The sticker is on the counter, see the new photo.', photoIds: [photo] })
    return { id: p.id, appealId: (res.json() as PromotionDetail).appeals[0].id, photo }
  }

  it('lists open appeals on /console/promotions and shows them on the detail page with Accept and Reject', async () => {
    const { id, appealId, photo } = await appealed()
    const queue = (await server.consoleGet('/console/promotions')).body
    expect(queue).toContain('<h2 id="appeals">Appeals</h2>')
    const section = queue.slice(queue.indexOf('id="appeals"'), queue.indexOf('id="review-queue"'))
    expect(section).toContain(`<tr data-appeal-id="${appealId}" data-promotion-id="${id}">`)
    expect(section).toContain('Kopi &lt;Appeal&gt;')
    expect(section).toContain('The sticker is on the counter, see the new photo.')

    const page = (await server.consoleGet(`/console/promotions/${id}`)).body
    expect(page).toContain(`data-appeal-id="${appealId}" data-appeal-status="OPEN"`)
    expect(page).toContain('Staff member’s reason: The sticker is on the counter, see the new photo.')
    expect(page).toContain(`<img class="thumb" src="/console/uploads/${photo}" alt="Appeal photo 1">`)
    expect(page).toContain(`<form method="post" action="/console/promotions/${id}/appeals/${appealId}/accept">`)
    expect(page).toContain('<button type="submit">Accept appeal</button>')
    expect(page).toContain('<label for="appeal-reason">Reason</label>')
    expect(page).toMatch(/<textarea id="appeal-reason" name="reason" rows="2" maxlength="500" aria-required="true">/)
    expect(page).toContain('<button type="submit" class="secondary">Reject appeal</button>')
    expect((await server.consoleGet(`/console/uploads/${photo}`)).statusCode).toBe(200)
  })

  it('accepts: the rejected items are approved, the promotion is APPROVED and leaves the appeals list', async () => {
    const { id, appealId } = await appealed()
    const res = await server.consolePost(`/console/promotions/${id}/appeals/${appealId}/accept`, {})
    expect(res.statusCode).toBe(303)
    const after = (await server.consoleGet(res.headers.location as string)).body
    expect(after).toContain('Accepted the appeal: every rejected item is approved. The promotion is Approved.')
    expect(after).toContain(`data-appeal-id="${appealId}" data-appeal-status="ACCEPTED"`)
    expect(after).not.toContain('Accept appeal</button>')
    expect(await detail(server, chen, id)).toMatchObject({ status: 'APPROVED', listStatus: 'APPROVED', eligibility: { eligible: true } })
    const queue = (await server.consoleGet('/console/promotions')).body
    expect(queue.slice(queue.indexOf('id="appeals"'), queue.indexOf('id="review-queue"'))).toContain('No open appeals.')
    expect(queue.slice(queue.indexOf('id="recently-decided"'))).toContain(`data-promotion-id="${id}" data-status="APPROVED"`)
    // decided once
    expect((await server.consolePost(`/console/promotions/${id}/appeals/${appealId}/accept`, {})).statusCode).toBe(409)
    expect((await server.consolePost(`/console/promotions/${id}/appeals/${appealId}/reject`, { reason: 'No' })).statusCode).toBe(409)
  })

  it('rejects only with a reason; the items stay rejected and the staff member sees the reason', async () => {
    const { id, appealId } = await appealed()
    for (const reason of ['', '   ', 'x'.repeat(501)]) {
      const res = await server.consolePost(`/console/promotions/${id}/appeals/${appealId}/reject`, { reason })
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('<p class="error" role="alert">The appeal was not rejected: <a href="#appeal-reason">')
      expect(res.body).toContain('aria-invalid="true" aria-describedby="appeal-reason-error"')
    }
    expect((await detail(server, chen, id)).appeals[0].status).toBe('OPEN')
    const res = await server.consolePost(`/console/promotions/${id}/appeals/${appealId}/reject`, { reason: 'The sticker is <still> hidden.' })
    expect(res.statusCode).toBe(303)
    const after = (await server.consoleGet(res.headers.location as string)).body
    expect(after).toContain('Rejected the appeal.')
    expect(after).toContain('reviewer’s reason: The sticker is &lt;still&gt; hidden.')
    const d = await detail(server, chen, id)
    expect(d).toMatchObject({ status: 'REJECTED', listStatus: 'REJECTED', actions: { appeal: true, modify: true } })
    expect(d.appeals[0]).toMatchObject({ status: 'REJECTED', reviewerReason: 'The sticker is <still> hidden.' })
    expect([d.storeReview.status, ...d.spots.map((s) => s.review.status)]).toEqual(['REJECTED', 'APPROVED', 'REJECTED'])
  })

  it('answers 404 for unknown promotions or appeals, 403 for cross-site forms, 401 without credentials', async () => {
    const { id, appealId } = await appealed()
    const other = await submit(server, chen, 'staff-chen', { spots: 1 })
    expect((await server.consolePost(`/console/promotions/prm-nope/appeals/${appealId}/accept`, {})).statusCode).toBe(404)
    expect((await server.consolePost(`/console/promotions/${id}/appeals/apl-nope/accept`, {})).statusCode).toBe(404)
    expect((await server.consolePost(`/console/promotions/${other.id}/appeals/${appealId}/accept`, {})).statusCode).toBe(404)
    expect((await server.consolePost(`/console/promotions/${other.id}/appeals/${appealId}/reject`, { reason: 'x' })).statusCode).toBe(404)
    expect((await server.consolePost(`/console/promotions/${id}/appeals/${appealId}/accept`, {}, { origin: 'http://evil.example' })).statusCode).toBe(403)
    expect((await server.app.inject({ method: 'POST', url: `/console/promotions/${id}/appeals/${appealId}/accept` })).statusCode).toBe(401)
    expect((await detail(server, chen, id)).appeals[0].status).toBe('OPEN')
  })
})

describe('console: server clock (development mode)', () => {
  let server: TestServer
  afterEach(() => server.close())

  it('shows the time and each ISO’s as-of date, advances by one day and resets', async () => {
    server = await startTestServer({ sessionTtlMinutes: 60 })
    server.clock.set('2025-03-03T15:30:00.000Z') // 23:30 in Singapore, 22:30 in Jakarta
    const chen = await server.signIn('staff-chen') // valid for an hour
    let page = (await server.consoleGet('/console/clock')).body
    expect(page).toContain('<h2 id="clock-heading">Server clock (development mode)</h2>')
    expect(page).toContain('data-clock-now="2025-03-03T15:30:00.000Z"')
    expect(page).toContain('<tr data-iso-id="iso-lioncity" data-as-of="2025-03-02">')
    expect(page).toContain('<tr data-iso-id="iso-nusantara" data-as-of="2025-03-02">')
    expect(page).toContain('<td>2025-03-03 23:30</td>')
    expect(page).toContain('<form method="post" action="/console/clock/advance">')
    expect(page).toContain('<button type="submit">Advance one day</button>')
    expect(page).toContain('Reset clock</button>')

    const advanced = await server.consolePost('/console/clock/advance', {})
    expect([advanced.statusCode, advanced.headers.location]).toEqual([303, '/console/clock?done=advanced'])
    expect(server.clock.now().toISOString()).toBe('2025-03-04T15:30:00.000Z')
    page = (await server.consoleGet(advanced.headers.location as string)).body
    expect(page).toContain('Moved the clock forward by one day.')
    expect(page).toContain('data-as-of="2025-03-03"')
    // the API follows, and the session of the signed-in staff member is still valid
    expect((await summary(server, chen)).asOf).toBe('2025-03-03')

    const reset = await server.consolePost('/console/clock/reset', {})
    expect(reset.statusCode).toBe(303)
    // a SettableClock resets to the time it was created with
    expect(server.clock.now().toISOString()).toBe('2025-03-03T02:00:00.000Z')
    expect((await server.consolePost('/console/clock/advance', {}, { origin: 'http://evil.example' })).statusCode).toBe(403)
    expect((await server.consoleGet('/console/clock', null)).statusCode).toBe(303)
  })

  it('does not exist outside development mode (404)', async () => {
    server = await startTestServer({ dev: false })
    for (const res of [
      await server.consoleGet('/console/clock'),
      await server.consolePost('/console/clock/advance', {}),
      await server.consolePost('/console/clock/reset', {}),
    ]) {
      expect(res.statusCode).toBe(404)
    }
    expect(server.clock.now().toISOString()).toBe('2025-03-03T02:00:00.000Z')
  })
})
