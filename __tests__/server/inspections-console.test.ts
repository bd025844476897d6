import type { InspectionTask } from '../../packages/contract/inspection'
import { startTestServer, type TestServer } from './helpers'
import { completeInspection, getTask, SEEDED } from './inspection-fixtures'
import { submit } from './results-fixtures'

describe('console: spot inspections', () => {
  let server: TestServer
  let chen: string
  let dao: string
  beforeEach(async () => {
    server = await startTestServer()
    chen = await server.signIn('staff-chen')
    dao = await server.signIn('staff-dao')
  })
  afterEach(() => server.close())

  const tasks = async (token: string) => ((await server.api('GET', '/api/inspections', { token })).json() as { tasks: InspectionTask[] }).tasks

  it('is linked from the top of the console and lists the tasks with the assign form', async () => {
    expect((await server.consoleGet()).body).toContain('<a href="/console/inspections">Spot inspections</a>')
    const res = await server.consoleGet('/console/inspections')
    expect(res.statusCode).toBe(200)
    const page = res.body
    expect(page).toContain('<a href="/console/inspections" aria-current="page">Spot inspections</a>')
    expect(page).toContain('<h2 id="assign-heading">Assign inspection</h2>')
    expect(page).toContain('<label for="inspection-promotion">Promotion</label>')
    expect(page).toContain('<select id="inspection-promotion" name="promotionId" required>')
    expect(page).toContain('<label for="inspection-staff">Staff member</label>')
    expect(page).toContain('<select id="inspection-staff" name="staffId" required>')
    expect(page).toContain('<label for="inspection-due">Due date</label>')
    expect(page).toMatch(/<input type="date" id="inspection-due" name="dueDate" required value="2025-03-10">/)
    expect(page).toContain('<button type="submit">Assign</button>')
    // approved promotions and associated staff only
    for (const id of ['prm-seed-kopi', 'prm-seed-laksa', 'prm-seed-warung']) expect(page).toContain(`<option value="${id}">`)
    expect(page).toContain('<option value="staff-chen">Chen Wei — Lion City Payments Pte. Ltd.</option>')
    expect(page).not.toContain('<option value="staff-aisyah">')
    for (const id of [SEEDED.kopi, SEEDED.laksa, SEEDED.warung]) expect(page).toContain(`<tr data-task-id="${id}" data-status="TO_DO">`)
    // no result yet: no link to the detail
    expect(page).not.toContain(`href="/console/inspections/${SEEDED.kopi}"`)
  })

  it('assigns an approved promotion to a staff member of its ISO', async () => {
    const res = await server.consolePost('/console/inspections', { promotionId: 'prm-seed-kopi', staffId: 'staff-chen', dueDate: '2025-03-20' })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toMatch(/^\/console\/inspections\?done=assigned&id=ins-/)
    const after = (await server.consoleGet(res.headers.location as string)).body
    expect(after).toContain('Assigned the inspection of Kopi Corner (demo) to Chen Wei, due 2025-03-20.')
    const mine = await tasks(chen)
    expect(mine.map((t) => [t.promotionId, t.dueDate, t.status])).toEqual([
      ['prm-seed-kopi', '2025-03-06', 'TO_DO'],
      ['prm-seed-laksa', '2025-03-08', 'TO_DO'],
      ['prm-seed-kopi', '2025-03-20', 'TO_DO'],
    ])
    // the new task is staff-chen's only
    const id = mine[2].id
    expect(after).toContain(`<tr data-task-id="${id}" data-status="TO_DO">`)
    expect((await server.api('GET', `/api/inspections/${id}`, { token: dao })).statusCode).toBe(403)
  })

  it('refuses a promotion that is not approved, a staff member of another ISO or not associated, a bad due date, cross-site forms', async () => {
    const pending = await submit(server, chen, 'staff-chen', { spots: 1, store: { name: 'Pending <Shop>' } })
    const cases: Array<[Record<string, string>, string]> = [
      [{ promotionId: pending.id, staffId: 'staff-chen', dueDate: '2025-03-20' }, 'Only approved promotions can be inspected; this one is not approved.'],
      [
        { promotionId: 'prm-seed-kopi', staffId: 'staff-dao', dueDate: '2025-03-20' },
        'Dao Minh Anh is not a staff member of Lion City Payments Pte. Ltd., the promotion’s ISO; choose one of its staff members.',
      ],
      [
        { promotionId: 'prm-seed-warung', staffId: 'staff-chen', dueDate: '2025-03-20' },
        'Chen Wei is not a staff member of Nusantara Merchant Services, the promotion’s ISO',
      ],
      [
        { promotionId: 'prm-seed-kopi', staffId: 'staff-aisyah', dueDate: '2025-03-20' },
        'Aisyah Rahman has not joined an ISO; choose an associated staff member.',
      ],
      [{ promotionId: 'prm-seed-kopi', staffId: 'staff-budi', dueDate: '2025-03-20' }, 'Budi Santoso has not joined an ISO'],
      [{ promotionId: 'prm-nope', staffId: 'staff-chen', dueDate: '2025-03-20' }, 'Choose a promotion to inspect.'],
      [{ promotionId: 'prm-seed-kopi', staffId: '', dueDate: '2025-03-20' }, 'Choose a staff member.'],
      [{ promotionId: 'prm-seed-kopi', staffId: 'staff-chen', dueDate: '2025-02-30' }, 'Enter a due date (today or later).'],
      [{ promotionId: 'prm-seed-kopi', staffId: 'staff-chen', dueDate: '2025-03-02' }, 'Enter a due date (today or later).'],
      [{ promotionId: 'prm-seed-kopi', staffId: 'staff-chen' }, 'Enter a due date (today or later).'],
    ]
    for (const [form, message] of cases) {
      const res = await server.consolePost('/console/inspections', form)
      expect([form, res.statusCode]).toEqual([form, 400])
      expect(res.body).toContain('<p class="error" role="alert" id="assign-error">')
      expect(res.body).toContain(message)
      expect(res.body).toContain('aria-invalid="true" aria-describedby="assign-error"')
    }
    // what was chosen stays chosen
    const kept = await server.consolePost('/console/inspections', { promotionId: 'prm-seed-kopi', staffId: 'staff-dao', dueDate: '2025-03-21' })
    expect(kept.body).toContain('<option value="prm-seed-kopi" selected>')
    expect(kept.body).toContain('<option value="staff-dao" selected>')
    expect(kept.body).toContain('value="2025-03-21"')
    const crossSite = await server.consolePost(
      '/console/inspections',
      { promotionId: 'prm-seed-kopi', staffId: 'staff-chen', dueDate: '2025-03-20' },
      { origin: 'http://evil.example' },
    )
    expect(crossSite.statusCode).toBe(403)
    expect(await tasks(chen)).toHaveLength(2)
    expect(await tasks(dao)).toHaveLength(1)
    expect((await server.consoleGet('/console/inspections', null)).statusCode).toBe(303)
  })

  it('shows a submitted inspection: store check with the far flag, spots with code comparison, payment records', async () => {
    await completeInspection(server, chen, SEEDED.laksa, (body) => {
      body.store.location = { latitude: 1.3106, longitude: 103.8559, accuracy: 5, mocked: false }
      body.store.feedback = 'Moved <next door>.'
      body.store.sameStore = false
      body.spots[1] = { ...body.spots[1], scannedCode: 'APMC0000000009', feedback: 'Another <code> on the table.' }
    })
    const list = (await server.consoleGet('/console/inspections')).body
    expect(list).toContain(`<tr data-task-id="${SEEDED.laksa}" data-status="SUBMITTED">`)
    expect(list).toContain(`<a href="/console/inspections/${SEEDED.laksa}">Laksa House (demo)</a>`)
    // submitted first
    expect(list.indexOf(SEEDED.laksa)).toBeLessThan(list.indexOf(SEEDED.kopi))

    const res = await server.consoleGet(`/console/inspections/${SEEDED.laksa}`)
    expect(res.statusCode).toBe(200)
    const page = res.body
    expect(page).toContain('<h2 id="inspection-title">Laksa House (demo)</h2>')
    expect(page).toContain('data-inspection-status="SUBMITTED"')
    expect(page).toContain('data-store-open="true"')
    expect(page).toContain('data-same-store="false"')
    expect(page).toMatch(/data-distance="11\d\d">11\d\d m from the recorded location <strong class="error" data-far="true">far from the recorded location/)
    expect(page).toContain('Moved &lt;next door&gt;.')
    expect(page).toMatch(/<img class="photo" src="\/console\/uploads\/upl-[^"]+" alt="Storefront at inspection">/)
    expect(page).toContain('<article class="spot" data-spot-index="0"')
    expect(page).toContain('<article class="spot" data-spot-index="1"')
    expect(page).toContain('data-code-comparison="MATCH">bound <code>APMC0000000002</code>, scanned <code>APMC0000000002</code>')
    expect(page).toContain('data-code-comparison="MISMATCH">bound <code>APMC0000000003</code>, scanned <code>APMC0000000009</code>')
    expect(page).toContain('Another &lt;code&gt; on the table.')
    expect(page).toMatch(/<img class="photo" src="\/console\/uploads\/upl-[^"]+" alt="Spot 2 at inspection">/)
    expect((page.match(/<tr data-verification-id="pv-/g) ?? []).length).toBe(2)
    expect(page).toContain('<button type="submit">Accept inspection</button>')
    expect(page).toContain('<label for="inspection-reason">Reason</label>')
    expect(page).toMatch(/<textarea id="inspection-reason" name="reason" rows="2" maxlength="500" aria-required="true">/)
    expect(page).toContain('<button type="submit" class="secondary">Reject inspection</button>')
  })

  it('does not flag a result near the recorded location', async () => {
    await completeInspection(server, chen, SEEDED.kopi)
    const page = (await server.consoleGet(`/console/inspections/${SEEDED.kopi}`)).body
    expect(page).toContain('data-distance="0">0 m from the recorded location')
    expect(page).not.toContain('data-far')
  })

  it('rejects only with a reason; the staff member sees it; deciding twice is refused', async () => {
    await completeInspection(server, dao, SEEDED.warung)
    for (const reason of ['', '   ', 'x'.repeat(501)]) {
      const res = await server.consolePost(`/console/inspections/${SEEDED.warung}/reject`, { reason })
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('<p class="error" role="alert">The inspection was not rejected: <a href="#inspection-reason">')
      expect(res.body).toContain('aria-invalid="true" aria-describedby="inspection-reason-error"')
    }
    expect((await getTask(server, dao, SEEDED.warung)).status).toBe('SUBMITTED')
    const res = await server.consolePost(`/console/inspections/${SEEDED.warung}/reject`, { reason: 'The stand photo is <blurry>.' })
    expect([res.statusCode, res.headers.location]).toEqual([303, `/console/inspections/${SEEDED.warung}?done=rejected`])
    const after = (await server.consoleGet(res.headers.location as string)).body
    expect(after).toContain('data-inspection-status="REJECTED"')
    expect(after).toContain('reason: The stand photo is &lt;blurry&gt;.')
    expect(after).not.toContain('Accept inspection</button>')
    expect(await getTask(server, dao, SEEDED.warung)).toMatchObject({ status: 'REJECTED', reviewerReason: 'The stand photo is <blurry>.' })

    for (const action of ['accept', 'reject']) {
      const again = await server.consolePost(`/console/inspections/${SEEDED.warung}/${action}`, { reason: 'Again' })
      expect(again.statusCode).toBe(409)
      expect(again.body).toContain('already rejected')
    }
    // not submitted yet, unknown
    expect((await server.consolePost(`/console/inspections/${SEEDED.kopi}/accept`, {})).statusCode).toBe(409)
    expect((await server.consolePost(`/console/inspections/${SEEDED.kopi}/reject`, { reason: 'No' })).statusCode).toBe(409)
    expect((await server.consolePost('/console/inspections/ins-nope/accept', {})).statusCode).toBe(404)
    expect((await server.consolePost('/console/inspections/ins-nope/reject', { reason: 'No' })).statusCode).toBe(404)
    expect((await server.consoleGet('/console/inspections/ins-nope')).statusCode).toBe(404)
    expect((await server.consolePost(`/console/inspections/${SEEDED.kopi}/accept`, {}, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403)
    // an open task's page says so
    const open = (await server.consoleGet(`/console/inspections/${SEEDED.kopi}`)).body
    expect(open).toContain('The staff member has not submitted the inspection yet.')
    expect(open).not.toContain('Accept inspection</button>')
  })

  it('accepts once, with the decision time of the server clock', async () => {
    await completeInspection(server, chen, SEEDED.kopi)
    server.clock.advance({ hours: 2 })
    const res = await server.consolePost(`/console/inspections/${SEEDED.kopi}/accept`, {})
    expect(res.statusCode).toBe(303)
    const page = (await server.consoleGet(res.headers.location as string)).body
    expect(page).toContain('Accepted the inspection.')
    expect(page).toContain('<dt>Decided</dt><dd><time datetime="2025-03-03T04:00:00.000Z">')
    expect((await server.consolePost(`/console/inspections/${SEEDED.kopi}/accept`, {})).statusCode).toBe(409)
    expect((await getTask(server, chen, SEEDED.kopi)).status).toBe('ACCEPTED')
  })
})
