import { PassThrough } from 'node:stream'
import type { AssociationState } from '../../packages/contract/api'
import { runConsoleUser } from '../../server/src/console-user'
import type { AuditRow } from '../../server/src/repo/audit'
import { LOCK_MINUTES, SESSION_IDLE_MINUTES } from '../../server/src/services/console-accounts'
import { rejectionOf } from './engine'
import { completeInspection, SEEDED } from './inspection-fixtures'
import { addConsoleAccount, buildTestApp, consoleSignIn, cookieFrom, csrfOf, DEV_ACCOUNT, startTestServer, type TestServer } from './helpers'
import { appeal, submit } from './results-fixtures'
import { FORM_MAX_AGE_SECONDS, signInFormKey, signInFormTokens } from '../../server/src/console/sign-in-form'

const audit = (server: TestServer): Promise<AuditRow[]> => server.db.all<AuditRow>('SELECT * FROM audit_log ORDER BY seq')

/** The audit entries a step adds. */
async function added(server: TestServer, step: () => Promise<unknown>): Promise<AuditRow[]> {
  const before = (await audit(server)).length
  await step()
  return (await audit(server)).slice(before)
}

const expect303 = (res: { statusCode: number; body: string }) => expect([res.statusCode, res.statusCode === 303 ? '' : res.body.slice(-600)]).toEqual([303, ''])

describe('console accounts and roles', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer()
  })
  afterEach(() => server.close())

  const stateOf = async (staffId: string) => {
    const token = await server.signIn(staffId)
    return (await server.api('GET', '/api/association', { token })).json() as AssociationState
  }

  it('an ISO reviewer sees only their ISO and gets 403 on every other ISO’s record and on every page outside their role', async () => {
    // a pending request to each ISO: Emily's (seeded, Nusantara) and Farah's to Lion City
    const farah = await server.signIn('staff-farah')
    const sent = await server.api('POST', '/api/association/requests', {
      token: farah,
      body: { isoEmail: 'ops@lioncitypay.example', name: 'Farah Aziz', phone: '+6591234567' },
    })
    expect(sent.statusCode).toBeLessThan(300)
    const farahRequest = (sent.json() as AssociationState).request?.id as string

    const lion = server.consoleAs(DEV_ACCOUNT.lioncity)
    const home = (await lion.get('/console')).body
    expect(home).toContain(`data-request-id="${farahRequest}"`)
    expect(home).not.toContain('data-request-id="req-seed-emily"')
    expect(home).not.toContain('Emily Tan')
    expect(home).toContain('data-iso-id="iso-lioncity"')
    expect(home).not.toContain('data-iso-id="iso-nusantara"')
    expect(home).not.toContain('Nusantara Merchant Services')
    // its QR, its staff, and no form to change settings
    expect(home).toContain('href="/console/isos/iso-lioncity/association-qr.svg"')
    expect(home).not.toContain('/spot-limit"')
    expect(home).not.toContain('Budi Santoso')
    // the navigation lists only what the role may open
    expect(home).not.toContain('href="/console/promotions"')
    expect(home).not.toContain('href="/console/accounts"')

    // every console route of the server, tried on another ISO's records (or on pages outside the role)
    // an export asked for the other ISO (their own ISO's exports are theirs: exports.test.ts)
    const ids: Record<string, string> = {
      id: 'req-seed-emily',
      index: '0',
      appealId: 'apl-x',
      kind: 'promotions.csv?from=2025-01-01&to=2025-03-31&iso=iso-nusantara',
    }
    const allowedOwn = new Set([
      'GET /console',
      'GET /console/method',
      'GET /console/exports',
      'GET /console/sign-in',
      'POST /console/sign-in',
      'POST /console/sign-out',
      'GET /console/clock',
      'POST /console/clock/advance',
      'POST /console/clock/reset',
    ])
    // an Org invitation of the other ISO, waiting for its reviewer
    await server.db.run(
      `INSERT INTO org_invitations (id, request_id, staff_id, iso_id, dept_id, name, mobile_e164, status, next_attempt_at, problem, created_at)
       VALUES ('inv-nusantara', 'req-seed-emily', 'staff-emily', 'iso-nusantara', NULL, 'Emily Tan', '+6281234567890', 'SKIPPED', '2025-03-03T00:00:00.000Z', 'no_department', '2025-03-03T00:00:00.000Z')`,
    )
    const tried: string[] = []
    for (const route of server.app.registeredRoutes.filter((r) => r.url.startsWith('/console'))) {
      const key = `${route.method} ${route.url}`
      if (allowedOwn.has(key) || route.url === '/console/*') continue
      const url = route.url.replace(/:(\w+)/g, (_, name: string) =>
        route.url.startsWith('/console/isos') ? 'iso-nusantara' : route.url.startsWith('/console/org-invitations') ? 'inv-nusantara' : (ids[name] ?? 'x'),
      )
      const res =
        route.method === 'GET'
          ? await lion.get(url)
          : await lion.post(url, {
              reason: 'Not our staff member.',
              deploymentMethod: 'VERIFY_THEN_DEPLOY',
              dingtalkDeptId: '1',
              password: 'a new password 123',
              username: 'x1',
              name: 'X',
              role: 'admin',
            })
      tried.push(key)
      expect([key, res.statusCode]).toEqual([key, 403])
    }
    expect(tried.length).toBeGreaterThanOrEqual(25)
    expect((await stateOf('staff-emily')).status).toBe('pending')

    // its own ISO's request: decided, by them
    const entries = await added(server, async () => expect303(await lion.post(`/console/requests/${farahRequest}/approve`, {})))
    expect(entries).toMatchObject([
      {
        action: 'association.approve',
        actor_name: 'Lion City ISO reviewer (lioncity)',
        actor_role: 'iso_reviewer',
        iso_id: 'iso-lioncity',
        subject_id: farahRequest,
      },
    ])
    expect((await lion.get('/console')).body).toContain('Lion City ISO reviewer (lioncity)')
  })

  it('a regional coordinator sets the spot limit of their region’s ISOs only, and cannot review promotions', async () => {
    const coordinator = server.consoleAs(DEV_ACCOUNT.coordinator)
    const chen = await server.signIn('staff-chen')
    const p = await submit(server, chen, 'staff-chen')
    const entries = await added(server, async () => expect303(await coordinator.post('/console/isos/iso-lioncity/spot-limit', { maxSpotsPerStore: '2' })))
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'iso.settings',
        actor_role: 'coordinator',
        subject_id: 'iso-lioncity',
        before_json: JSON.stringify({ maxSpotsPerStore: 5 }),
        after_json: JSON.stringify({ maxSpotsPerStore: 2 }),
      }),
    ])
    expect((await server.api('GET', '/api/workspace', { token: chen })).json()).toMatchObject({ maxSpotsPerStore: 2, method: 'VERIFY_THEN_DEPLOY' })
    expect((await coordinator.post('/console/isos/iso-lioncity/spot-limit', { maxSpotsPerStore: '0' })).statusCode).toBe(400)
    expect((await coordinator.post('/console/isos/iso-lioncity/dingtalk-department', { dingtalkDeptId: '5' })).statusCode).toBe(403)

    for (const url of ['/console/promotions', `/console/promotions/${p.id}`]) expect((await coordinator.get(url)).statusCode).toBe(403)
    expect((await coordinator.post(`/console/promotions/${p.id}/store/approve`, {})).statusCode).toBe(403)
    expect((await coordinator.post('/console/requests/req-seed-emily/approve', {})).statusCode).toBe(403)

    // a coordinator of another region: the ISO is outside their scope
    await addConsoleAccount(server, { username: 'eu-coordinator', name: 'EU coordinator', role: 'coordinator', region: 'EU', password: 'console' })
    const eu = server.consoleAs('eu-coordinator', 'console')
    expect((await eu.get('/console')).body).toContain('No ISO is in your scope.')
    expect((await eu.post('/console/isos/iso-lioncity/spot-limit', { maxSpotsPerStore: '3' })).statusCode).toBe(403)
  })

  it('an Alipay+ reviewer reviews promotions but cannot decide association requests', async () => {
    const alipay = server.consoleAs(DEV_ACCOUNT.alipay)
    expect([(await alipay.get('/console')).statusCode, (await alipay.get('/console')).headers.location]).toEqual([303, '/console/promotions'])
    for (const action of ['approve', 'reject']) {
      expect((await alipay.post(`/console/requests/req-seed-emily/${action}`, { reason: 'No.' })).statusCode).toBe(403)
    }
    expect((await stateOf('staff-emily')).status).toBe('pending')
    expect((await audit(server)).filter((r) => r.action.startsWith('association'))).toEqual([])
    const chen = await server.signIn('staff-chen')
    const p = await submit(server, chen, 'staff-chen')
    const entries = await added(server, async () => expect303(await alipay.post(`/console/promotions/${p.id}/store/approve`, {})))
    expect(entries).toMatchObject([{ action: 'promotion.store.approve', actor_name: 'Alipay+ reviewer (alipay)', actor_role: 'alipay_reviewer' }])
  })

  it('each decision kind leaves exactly one audit entry naming the person, with before, after and reason', async () => {
    const admin = server.consoleAs(DEV_ACCOUNT.admin)
    const alipay = server.consoleAs(DEV_ACCOUNT.alipay)
    const nusantara = server.consoleAs(DEV_ACCOUNT.nusantara)
    const one = async (step: () => Promise<unknown>, expected: Partial<AuditRow>) => {
      const entries = await added(server, step)
      expect(entries).toEqual([expect.objectContaining(expected)])
      return entries[0]
    }

    await one(async () => expect303(await nusantara.post('/console/requests/req-seed-emily/reject', { reason: 'Use your work email.' })), {
      action: 'association.reject',
      actor_name: 'Nusantara ISO reviewer (nusantara)',
      reason: 'Use your work email.',
      after_json: JSON.stringify({ status: 'rejected' }),
    })
    await one(async () => expect303(await admin.post('/console/isos/iso-nusantara/dingtalk-department', { dingtalkDeptId: '4321' })), {
      action: 'iso.dingtalk_department',
      actor_role: 'admin',
      before_json: JSON.stringify({ dingtalkDeptId: null }),
      after_json: JSON.stringify({ dingtalkDeptId: 4321 }),
    })

    const chen = await server.signIn('staff-chen')
    const p = await submit(server, chen, 'staff-chen', { spots: 1 })
    await one(async () => expect303(await alipay.post(`/console/promotions/${p.id}/store/reject`, { reason: 'Blurry storefront.' })), {
      action: 'promotion.store.reject',
      reason: 'Blurry storefront.',
      subject_id: p.id,
    })
    const spot = await one(async () => expect303(await alipay.post(`/console/promotions/${p.id}/spots/0/approve`, {})), { action: 'promotion.spot.approve' })
    expect(JSON.parse(spot.after_json as string)).toEqual({ item: 'spot 1', review: 'APPROVED', promotion: 'REJECTED' })
    const sent = await appeal(server, chen, p.id)
    expect(sent.statusCode).toBe(201)
    // the appeal's id, from its accept form on the promotion's page
    const detail = (await alipay.get(`/console/promotions/${p.id}`)).body
    const id = /\/appeals\/([^/]+)\/accept/.exec(detail)?.[1] as string
    await one(async () => expect303(await alipay.post(`/console/promotions/${p.id}/appeals/${id}/accept`, {})), { action: 'appeal.accept', subject_id: p.id })
    // the promotion's page shows its history: who decided what
    const history = (await alipay.get(`/console/promotions/${p.id}`)).body
    expect(history).toContain('<h2 id="history">History</h2>')
    expect(history).toContain('Rejected the store')
    expect(history).toContain('Accepted an appeal')

    const assigned = await one(
      async () => expect303(await alipay.post('/console/inspections', { promotionId: p.id, staffId: 'staff-chen', dueDate: '2025-03-20' })),
      {
        action: 'inspection.assign',
        actor_role: 'alipay_reviewer',
      },
    )
    await completeInspection(server, chen, SEEDED.laksa)
    await one(async () => expect303(await alipay.post(`/console/inspections/${SEEDED.laksa}/reject`, { reason: 'Spot 2 is missing.' })), {
      action: 'inspection.reject',
      subject_id: SEEDED.laksa,
      reason: 'Spot 2 is missing.',
    })
    expect((await alipay.get(`/console/inspections/${assigned.subject_id}`)).body).toContain('Assigned a spot inspection')

    // accounts: create, disable, enable, reset (never the password)
    const created = await one(
      async () =>
        expect303(await admin.post('/console/accounts', { username: 'ana', name: 'Ana Reviewer', role: 'alipay_reviewer', password: 'a long password 1' })),
      { action: 'account.create', actor_name: 'Dev Administrator (console)' },
    )
    const accountId = created.subject_id
    await one(async () => expect303(await admin.post(`/console/accounts/${accountId}/disable`, {})), { action: 'account.disable' })
    await one(async () => expect303(await admin.post(`/console/accounts/${accountId}/enable`, {})), { action: 'account.enable' })
    const reset = await one(async () => expect303(await admin.post(`/console/accounts/${accountId}/password`, { password: 'another password 2' })), {
      action: 'account.reset_password',
    })
    expect(JSON.stringify(reset)).not.toContain('another password')
    expect(JSON.stringify(await audit(server))).not.toMatch(/scrypt\$|a long password/)

    // /console/audit lists and filters; the CSV has a row per entry
    const page = (await admin.get('/console/audit?action=association.reject')).body
    expect(page).toContain('<td>Rejected an association request</td>')
    expect(page).not.toContain('<td>Created a console account</td>')
    const csv = await admin.get('/console/audit.csv')
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    const lines = csv.body.trim().split('\r\n')
    expect(lines[0]).toBe('seq,at,actor_id,actor_name,actor_role,actor_address,action,subject_type,subject_id,iso_id,before,after,reason')
    expect(lines).toHaveLength((await audit(server)).length + 1)
    expect((await alipay.get('/console/audit')).statusCode).toBe(403)

    // append-only: the table refuses changes
    expect(await rejectionOf(server.db.run("UPDATE audit_log SET actor_name = 'someone else'"))).toMatch(/append-only/)
    expect(await rejectionOf(server.db.run('DELETE FROM audit_log'))).toMatch(/append-only/)
  })

  it('locks a user name after five failed sign-ins, without telling whether it exists, for fifteen minutes', async () => {
    const tryIn = (username: string, password: string) => consoleSignIn(server.app, username, password)
    for (const username of ['lioncity', 'nobody-here']) {
      for (let i = 0; i < 4; i++) expect((await tryIn(username, 'wrong password')).res.statusCode).toBe(401)
      const fifth = await tryIn(username, 'wrong password')
      expect(fifth.res.statusCode).toBe(429)
      expect(fifth.res.body).toContain('Too many failed sign-ins.')
    }
    // the right password changes nothing while locked, and the answer is the same for a name that does not exist
    const locked = await tryIn('lioncity', 'console')
    const unknown = await tryIn('nobody-here', 'console')
    expect([locked.res.statusCode, locked.cookie]).toEqual([429, ''])
    expect(locked.res.headers['retry-after']).toBe(String(LOCK_MINUTES * 60))
    const message = (body: string) => /<p class="error"[^>]*>([^<]*)<\/p>/.exec(body)?.[1]
    expect(message(locked.res.body)).toBe(message(unknown.res.body))
    // other accounts are not locked
    expect((await tryIn('nusantara', 'console')).cookie).not.toBe('')
    server.clock.advance({ minutes: LOCK_MINUTES })
    expect((await tryIn('lioncity', 'console')).cookie).not.toBe('')
  })

  it('a success does not erase the failures counted before it: the next failure of the window locks the name', async () => {
    const tryIn = (password: string) => consoleSignIn(server.app, 'lioncity', password)
    for (let i = 0; i < 4; i++) expect((await tryIn('wrong password')).res.statusCode).toBe(401)
    expect((await tryIn('console')).res.statusCode).toBe(303)
    expect((await tryIn('wrong password')).res.statusCode).toBe(429)
    expect((await tryIn('console')).res.statusCode).toBe(429)
  })

  it('locks an address after twenty failed sign-ins, whatever the user names', async () => {
    for (let i = 0; i < 19; i++) expect((await consoleSignIn(server.app, `guess-${i}`, 'x')).res.statusCode).toBe(401)
    expect((await consoleSignIn(server.app, 'guess-19', 'x')).res.statusCode).toBe(429)
    expect((await consoleSignIn(server.app, 'console', 'console')).res.statusCode).toBe(429)
  })

  it('a confirmation notice names only a record the reviewer may act on, in the state it announces', async () => {
    const lion = server.consoleAs(DEV_ACCOUNT.lioncity)
    const noticeOf = (body: string) => /<p class="notice" role="status">([^<]*)<\/p>/.exec(body)?.[1] ?? null
    const plain = (await lion.get('/console')).body
    expect(noticeOf(plain)).toBeNull()
    // Nusantara's records, named in the address of another ISO's reviewer: the page says nothing about them
    for (const query of [
      'done=approved&id=req-seed-emily',
      'done=rejected&id=req-seed-emily',
      'done=saved&id=iso-nusantara',
      'done=department&id=iso-nusantara',
    ]) {
      const res = await lion.get(`/console?${query}`)
      expect([query, res.statusCode, noticeOf(res.body)]).toEqual([query, 200, null])
      expect(res.body).toBe(plain)
      expect(res.body).not.toContain('Emily Tan')
      expect(res.body).not.toContain('Nusantara')
    }

    // Nusantara's own reviewer: nothing was approved yet, so no "Approved" either
    const own = server.consoleAs(DEV_ACCOUNT.nusantara)
    expect(noticeOf((await own.get('/console?done=approved&id=req-seed-emily')).body)).toBeNull()
    const approve = await own.post('/console/requests/req-seed-emily/approve', {})
    expect(approve.headers.location).toBe('/console?done=approved&id=req-seed-emily')
    expect(noticeOf((await own.get(approve.headers.location as string)).body)).toMatch(/^Approved the request of Emily Tan \(Nusantara Merchant Services\)/)
    // and still nothing for Lion City's reviewer, nor for a role without association requests
    expect(noticeOf((await lion.get(approve.headers.location as string)).body)).toBeNull()
    const coordinator = server.consoleAs(DEV_ACCOUNT.coordinator)
    const coordinatorPlain = (await coordinator.get('/console')).body
    expect((await coordinator.get(approve.headers.location as string)).body).toBe(coordinatorPlain)
    // the ISO settings' confirmation: for the roles that change them, within their scope
    expect(noticeOf((await coordinator.get('/console?done=saved&id=iso-nusantara')).body)).toMatch(
      /^Saved: Nusantara Merchant Services allows at most 3 spots per store/,
    )
    expect(noticeOf((await coordinator.get('/console?done=department&id=iso-nusantara')).body)).toBeNull()
    expect(noticeOf((await server.consoleGet('/console?done=department&id=iso-nusantara')).body)).toMatch(/^Saved: /)
  })

  it('refuses a form without the session’s CSRF token, and a sign-in form from elsewhere', async () => {
    const admin = server.consoleAs(DEV_ACCOUNT.admin)
    for (const token of ['', 'forged', (await admin.session()).csrf.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))]) {
      const res = await admin.post('/console/requests/req-seed-emily/approve', { _csrf: token })
      expect([token, res.statusCode]).toEqual([token, 403])
      expect(res.body).toContain('Form expired')
    }
    expect((await stateOf('staff-emily')).status).toBe('pending')
    // every form of a page carries the token
    const page = (await admin.get('/console')).body
    const forms = page.match(/<form method="post"[^>]*>/g) ?? []
    expect(forms.length).toBeGreaterThan(3)
    expect(page.match(/<form method="post"[^>]*><input type="hidden" name="_csrf" value="[^"]+">/g)).toHaveLength(forms.length)
    // a sign-in without the form's own cookie (another site's form) is refused
    const signIn = await server.app.inject({
      method: 'POST',
      url: '/console/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=console&password=console&_csrf=abc',
    })
    expect([signIn.statusCode, cookieFrom(signIn, 'posm_console')]).toEqual([403, undefined])
    // a cookie and token the client made up (a cookie planted by another site would do), or a real token
    // with another form's cookie, are refused: the token is the server's, bound to its cookie
    const form = await server.app.inject({ method: 'GET', url: '/console/sign-in' })
    const formToken = csrfOf(form.body)
    const formCookie = cookieFrom(form, 'posm_console_signin') as string
    expect(formToken).not.toBe(formCookie)
    const other = cookieFrom(await server.app.inject({ method: 'GET', url: '/console/sign-in' }), 'posm_console_signin') as string
    const sendForm = (cookie: string, token: string) =>
      server.app.inject({
        method: 'POST',
        url: '/console/sign-in',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `posm_console_signin=${cookie}` },
        payload: new URLSearchParams({ _csrf: token, username: 'console', password: 'console' }).toString(),
      })
    for (const [cookie, token] of [
      ['invented-by-the-client', 'invented-by-the-client'],
      [other, formToken],
      [formCookie, formToken.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))],
    ]) {
      const res = await sendForm(cookie, token)
      expect([cookie, token, res.statusCode, cookieFrom(res, 'posm_console')]).toEqual([cookie, token, 403, undefined])
      expect(res.body).toContain('This sign-in form has expired.')
    }
    expect((await sendForm(formCookie, formToken)).statusCode).toBe(303)
    // and cross-site forms stay refused, signed in or not
    expect((await admin.post('/console/requests/req-seed-emily/approve', {}, { origin: 'http://evil.example' })).statusCode).toBe(403)
  })

  it('keeps the session in an HttpOnly, SameSite=Strict cookie; signs out; ends idle sessions; Secure outside development', async () => {
    const { res } = await consoleSignIn(server.app, 'console', 'console')
    const setCookie = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('posm_console='))
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Strict/)
    expect(setCookie).toMatch(/Path=\/console/)
    expect(setCookie).not.toMatch(/Secure/)

    const signedIn = await consoleSignIn(server.app, 'console', 'console')
    const page = await server.app.inject({ method: 'GET', url: '/console', headers: { cookie: signedIn.cookie } })
    const out = await server.app.inject({
      method: 'POST',
      url: '/console/sign-out',
      headers: { cookie: signedIn.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${csrfOf(page.body)}`,
    })
    expect([out.statusCode, out.headers.location]).toEqual([303, '/console/sign-in'])
    expect((await server.app.inject({ method: 'GET', url: '/console', headers: { cookie: signedIn.cookie } })).statusCode).toBe(303)

    const idle = await consoleSignIn(server.app, 'console', 'console')
    server.clock.advance({ minutes: SESSION_IDLE_MINUTES + 1 })
    const after = await server.app.inject({ method: 'GET', url: '/console', headers: { cookie: idle.cookie } })
    expect([after.statusCode, after.headers.location]).toEqual([303, '/console/sign-in?next=%2Fconsole'])

    const production = await startTestServer({ dev: false })
    try {
      const prod = await consoleSignIn(production.app, 'console', 'console')
      expect([prod.res.headers['set-cookie']].flat().find((c) => String(c).startsWith('posm_console='))).toMatch(/; Secure/)
    } finally {
      await production.close()
    }
  })

  it('a disabled account is signed out at once and cannot sign in; the last administrator cannot be disabled', async () => {
    const alipay = server.consoleAs(DEV_ACCOUNT.alipay)
    expect((await alipay.get('/console/promotions')).statusCode).toBe(200)
    const admin = server.consoleAs(DEV_ACCOUNT.admin)
    const accounts = (await admin.get('/console/accounts')).body
    const alipayId = /<tr data-account-id="([^"]+)">\s*<td>alipay<\/td>/.exec(accounts)?.[1] as string
    expect303(await admin.post(`/console/accounts/${alipayId}/disable`, {}))
    const { cookie } = await alipay.session()
    expect((await server.app.inject({ method: 'GET', url: '/console/promotions', headers: { cookie } })).statusCode).toBe(303)
    expect((await consoleSignIn(server.app, 'alipay', 'console')).res.statusCode).toBe(401)
    const adminId = /<tr data-account-id="([^"]+)">\s*<td>console<\/td>/.exec(accounts)?.[1] as string
    expect((await admin.post(`/console/accounts/${adminId}/disable`, {})).statusCode).toBe(409)
    // a new account's password must be long enough; what was typed (but the password) is kept
    const short = await admin.post('/console/accounts', { username: 'bo', name: 'Bo Reviewer', role: 'alipay_reviewer', password: 'short' })
    expect(short.statusCode).toBe(400)
    expect(short.body).toContain('at least 12 characters')
    expect(short.body).toContain('value="Bo Reviewer"')
    expect(short.body).not.toContain('short"')
  })
})

describe('npm run console:user', () => {
  it('creates the first administrator in a production database (password from standard input), lists and disables accounts', async () => {
    const server = await startTestServer({ dev: false })
    const env = server.database.env()
    const stdin = (text: string) => {
      const s = new PassThrough()
      s.end(text)
      return s
    }
    try {
      const add = await runConsoleUser(['add', '--role', 'admin', '--username', 'olivia', '--name', 'Olivia Admin'], env, stdin('correct horse battery\n'))
      expect(add).toEqual({ code: 0, out: ['Created olivia (Administrator).'] })
      const weak = await runConsoleUser(['add', '--role', 'iso_reviewer', '--iso', 'iso-lioncity', '--username', 'weak', '--name', 'Weak'], env, stdin('123\n'))
      expect(weak.code).toBe(1)
      expect((await runConsoleUser(['list'], env, stdin(''))).out.join('\n')).toMatch(/olivia\tAdministrator\tall\tactive/)
      expect((await consoleSignIn(server.app, 'olivia', 'correct horse battery')).cookie).not.toBe('')
      expect(await runConsoleUser(['disable', '--username', 'olivia'], env, stdin(''))).toEqual({ code: 0, out: ['Disabled olivia.'] })
      expect((await consoleSignIn(server.app, 'olivia', 'correct horse battery')).res.statusCode).toBe(401)
      expect((await runConsoleUser(['frobnicate'], env, stdin(''))).code).toBe(2)
      const entries = (await audit(server)).filter((r) => r.subject_type === 'account' && r.actor_role === 'system')
      expect(entries.map((r) => r.action)).toEqual(expect.arrayContaining(['account.create', 'account.disable']))
    } finally {
      await server.close()
    }
  }, 60_000) // production hashing (about 0.65 s a password) five times, on a machine that may be busy

  it('production starts with no account: the sign-in page says how to create the first administrator', async () => {
    const { app, close } = await buildTestApp({ dev: false, staticDir: null })
    try {
      const page = await app.inject({ method: 'GET', url: '/console/sign-in' })
      expect(page.body).toContain('No console account exists yet.')
      expect(page.body).toContain('npm run console:user -- add --role admin')
      expect((await consoleSignIn(app, 'console', 'console')).res.statusCode).toBe(401)
    } finally {
      await close()
    }
  })
})

describe('the sign-in form’s token', () => {
  it('is made by the server’s key for its own cookie and lasts an hour; replicas with the same DingTalk secret share the key', () => {
    let now = Date.parse('2026-12-07T10:00:00Z')
    const key = signInFormKey({ dingtalkAppSecret: 'app-secret-1', dev: false })
    const tokens = signInFormTokens(key, () => now)
    const form = tokens.issue()
    expect(tokens.check(form.cookie, form.token)).toBe(true)
    // another replica of the same deployment accepts it; a server with another secret does not
    expect(signInFormTokens(signInFormKey({ dingtalkAppSecret: 'app-secret-1', dev: false }), () => now).check(form.cookie, form.token)).toBe(true)
    expect(signInFormTokens(signInFormKey({ dingtalkAppSecret: 'app-secret-2', dev: false }), () => now).check(form.cookie, form.token)).toBe(false)
    // the key is not the secret, and a production server without DingTalk (tests only: it refuses to start) has a key of its own
    expect(key.toString('utf8')).not.toContain('app-secret-1')
    expect(signInFormKey({ dev: false }).equals(signInFormKey({ dev: false }))).toBe(false)
    // made-up or altered pairs
    for (const [cookie, token] of [
      [form.cookie, form.cookie],
      [form.cookie, `${form.token}x`],
      [form.cookie, form.token.replace(/^[0-9a-z]+/, (t) => (parseInt(t, 36) + 1).toString(36))],
      [`${form.cookie}x`, form.token],
      [undefined, form.token],
    ] as const) {
      expect([cookie, token, tokens.check(cookie, token)]).toEqual([cookie, token, false])
    }
    // an hour later it has expired
    now += FORM_MAX_AGE_SECONDS * 1000 - 1000
    expect(tokens.check(form.cookie, form.token)).toBe(true)
    now += 2000
    expect(tokens.check(form.cookie, form.token)).toBe(false)
  })
})
