import type { PromotionDetail } from '../../packages/contract/results'
import { DEV_ACCOUNTS } from '../../server/src/services/console-accounts'
import { DEV_ACCOUNT, startTestServer, type TestServer } from './helpers'
import { uploadPhoto } from './promotion-fixtures'
import { appeal, review, submit } from './results-fixtures'

/**
 * Issue 28 item 4: every console page is rendered through one layout, which gives it the navigation and the
 * account line of the account looking, and every form that posts the session's CSRF token. Walked as a
 * reviewer or operator would: from each role's home, following the console's links, every page reached
 * carries the navigation and every POST form on it the token; and each of those forms, sent without the
 * token, is refused and changes nothing.
 */

/** Links not followed: photos, posters and CSV files (not pages), and signing in. */
const NOT_PAGES = /^\/console\/(uploads\/|sign-in)|\.(svg|csv)$|^\/console\/exports\/./

/** A path with its record ids replaced, so that one page of each kind (a few at most) is walked. */
const shapeOf = (path: string) =>
  path
    .split('/')
    .map((part) => (/\d/.test(part) || /^(iso|staff|req|acc|prm|upl|app|ins|pv)-/.test(part) ? ':id' : part))
    .join('/')

const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')

interface Walked {
  /** Page shapes visited. */
  pages: Set<string>
  /** Each POST form's action (one per shape) and the page it was found on. */
  forms: Map<string, { action: string; page: string }>
}

describe('console: one layout for every page', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
    // records that put forms on pages: a promotion pending review (Approve and Reject of its store and spots), an
    // open appeal (Accept and Reject), a proposed deployment method (the coordinator's Agree and Decline); the
    // demo data has a pending association request
    const chen = await server.signIn('staff-chen')
    await submit(server, chen, 'staff-chen', { spots: 2 })
    const p = await submit(server, chen, 'staff-chen', { spots: 1 })
    await review(server, p.id, 'reject', ['approve'])
    const opened = await appeal(server, chen, p.id, { photoIds: [await uploadPhoto(server, chen)] })
    expect((opened.json() as PromotionDetail).appeals[0].status).toBe('OPEN')
    const current = (await server.db.get<{ deployment_method: string }>('SELECT deployment_method FROM isos WHERE id = ?', ['iso-nusantara']))
      ?.deployment_method
    const other = current === 'VERIFY_THEN_DEPLOY' ? 'DEPLOY_THEN_VERIFY' : 'VERIFY_THEN_DEPLOY'
    expect((await server.consoleAs(DEV_ACCOUNT.nusantara).post('/console/isos/iso-nusantara/method/propose', { method: other })).statusCode).toBe(303)
  })
  afterAll(() => server.close())

  /**
   * Walks the console as one account: breadth first from its home (and the pages known by address only, such as
   * the development clock), at most three pages of each shape.
   */
  async function walk(username: string, start: string[] = []): Promise<Walked> {
    const client = server.consoleAs(username)
    const { csrf } = await client.session()
    const account = DEV_ACCOUNTS.find((a) => a.username === username)
    if (!account) throw new Error(`no development account ${username}`)
    const walked: Walked = { pages: new Set(), forms: new Map() }
    const perShape = new Map<string, number>()
    const seen = new Set<string>(['/console', ...start])
    const queue = ['/console', ...start]
    while (queue.length > 0) {
      const url = queue.shift() as string
      let res = await client.get(url)
      if (res.statusCode === 303) {
        const to = String(res.headers.location)
        expect([url, to.startsWith('/console/sign-in')]).toEqual([url, false])
        if (seen.has(to)) continue
        seen.add(to)
        res = await client.get(to)
      }
      expect([url, res.statusCode]).toEqual([url, 200])
      expect(res.headers['content-type']).toMatch(/^text\/html/)
      const page = res.body
      walked.pages.add(shapeOf(url))
      // the navigation and the account line of this account, from the layout
      expect([url, page.includes('<nav aria-label="Console sections">')]).toEqual([url, true])
      expect([url, page.includes(`Signed in as ${account.name}`)]).toEqual([url, true])
      // every form that posts carries this session's token
      const tags = page.match(/<form method="post"[^>]*>/g) ?? []
      const withToken = page.match(new RegExp(`<form method="post"[^>]*><input type="hidden" name="_csrf" value="${csrf}">`, 'g')) ?? []
      expect([url, withToken.length]).toEqual([url, tags.length])
      for (const tag of tags) {
        const action = decode(/action="([^"]*)"/.exec(tag)?.[1] ?? '')
        if (!walked.forms.has(shapeOf(action))) walked.forms.set(shapeOf(action), { action, page: url })
      }
      for (const m of page.matchAll(/href="(\/console[^"#?]*)/g)) {
        const link = decode(m[1]).replace(/\/$/, '') || '/console'
        const shape = shapeOf(link)
        if (seen.has(link) || NOT_PAGES.test(link) || (perShape.get(shape) ?? 0) >= 3) continue
        seen.add(link)
        perShape.set(shape, (perShape.get(shape) ?? 0) + 1)
        queue.push(link)
      }
    }
    return walked
  }

  /** Sends each form without the token (and with another session's): refused as expired, nothing changed. */
  async function refusedWithoutToken(username: string, forms: Walked['forms'], otherCsrf: string): Promise<void> {
    const { cookie } = await server.consoleAs(username).session()
    for (const { action, page } of forms.values()) {
      for (const payload of ['reason=Looks+fine&method=DEPLOY_THEN_VERIFY', `_csrf=${otherCsrf}&reason=Looks+fine`]) {
        const before = await server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log')
        const res = await server.app.inject({
          method: 'POST',
          url: action,
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
          payload,
        })
        const where = `${username}: ${action} (on ${page}) ${payload.slice(0, 5)}`
        expect([where, res.statusCode, res.body.includes('Form expired')]).toEqual([where, 403, true])
        // the refusal is a console page too: the navigation, and forms that carry the token again
        expect([where, res.body.includes('<nav aria-label="Console sections">')]).toEqual([where, true])
        expect([where, (await server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))?.n]).toEqual([where, before?.n])
      }
    }
    // and still signed in: the sign-out form sent without its token did not sign out
    expect((await server.consoleAs(username).get('/console/exports')).statusCode).not.toBe(303)
  }

  it('as an administrator: every page has the navigation, every POST form the token, and a form without it is refused', async () => {
    const walked = await walk(DEV_ACCOUNT.admin, ['/console/clock'])
    for (const shape of [
      '/console',
      '/console/method',
      '/console/isos',
      '/console/isos/:id/edit',
      '/console/isos/:id/history',
      '/console/promotions',
      '/console/promotions/:id',
      '/console/inspections',
      '/console/notifications',
      '/console/accounts',
      '/console/accounts/:id/history',
      '/console/audit',
      '/console/exports',
      '/console/staff/:id/test-account',
      '/console/clock',
    ]) {
      expect([shape, walked.pages.has(shape)]).toEqual([shape, true])
    }
    for (const action of [
      '/console/sign-out',
      '/console/requests/:id/approve',
      '/console/requests/:id/reject',
      '/console/isos/:id/spot-limit',
      '/console/isos/:id/dingtalk-department',
      '/console/isos',
      '/console/isos/:id',
      '/console/promotions/:id/store/approve',
      '/console/promotions/:id/store/reject',
      '/console/promotions/:id/spots/:id/approve',
      '/console/promotions/:id/appeals/:id/accept',
      '/console/promotions/:id/appeals/:id/reject',
      '/console/inspections',
      '/console/accounts',
      '/console/accounts/:id/disable',
      '/console/accounts/:id/password',
      '/console/accounts/:id/dingtalk',
      '/console/staff/:id/test-account',
      '/console/clock/advance',
      '/console/clock/reset',
    ]) {
      expect([action, walked.forms.has(action)]).toEqual([action, true])
    }
    await refusedWithoutToken(DEV_ACCOUNT.admin, walked.forms, (await server.consoleAs(DEV_ACCOUNT.alipay).session()).csrf)
  })

  it('as an ISO reviewer, a coordinator and an Alipay+ reviewer: the same on the pages each role reaches', async () => {
    const expected: Record<string, string[]> = {
      [DEV_ACCOUNT.nusantara]: ['/console/requests/:id/approve', '/console/requests/:id/reject', '/console/staff/:id/test-account'],
      [DEV_ACCOUNT.lioncity]: ['/console/isos/:id/method/propose', '/console/staff/:id/test-account'],
      [DEV_ACCOUNT.coordinator]: ['/console/isos/:id/spot-limit', '/console/isos/:id/method/agree', '/console/isos/:id/method/decline'],
      [DEV_ACCOUNT.alipay]: ['/console/promotions/:id/store/approve', '/console/promotions/:id/appeals/:id/accept', '/console/inspections'],
    }
    for (const [username, actions] of Object.entries(expected)) {
      const walked = await walk(username)
      for (const action of [...actions, '/console/sign-out']) expect([username, action, walked.forms.has(action)]).toEqual([username, action, true])
      await refusedWithoutToken(username, walked.forms, (await server.consoleAs(DEV_ACCOUNT.admin).session()).csrf)
    }
  })

  it('a refusal page is in the layout too: the navigation for the signed-in account, none for a signed-out visitor', async () => {
    const lion = server.consoleAs(DEV_ACCOUNT.lioncity)
    const forbidden = await lion.get('/console/accounts')
    expect(forbidden.statusCode).toBe(403)
    expect(forbidden.body).toContain('<nav aria-label="Console sections">')
    expect(forbidden.body).toContain('Signed in as Lion City ISO reviewer')
    expect(forbidden.body).not.toContain('href="/console/accounts"')
    const missing = await lion.get('/console/no-such-page')
    expect([missing.statusCode, missing.body.includes('Signed in as Lion City ISO reviewer')]).toEqual([404, true])
    const signedOut = await server.app.inject({ method: 'POST', url: '/console/requests/req-seed-emily/approve' })
    expect(signedOut.statusCode).toBe(401)
    expect(signedOut.body).not.toContain('<nav')
    expect(signedOut.body).not.toContain('name="_csrf"')
    const signIn = await server.app.inject({ method: 'GET', url: '/console/sign-in' })
    expect(signIn.body).not.toContain('<nav')
    expect(signIn.body.match(/<form method="post" action="\/console\/sign-in"><input type="hidden" name="_csrf" value="[^"]+">/g)).toHaveLength(1)
  })
})
