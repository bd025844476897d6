/**
 * The specification's order, walked once on a production-mode server (issue 23, "Done when"): the server
 * started as `npm start` runs it (no WORKSPACE_DEV, an empty SQLite file, DingTalk's settings pointing at the
 * fake DingTalk), the first administrator created as `npm run console:user` does; the administrator onboards
 * an ISO in the console's form; its reviewer's QR poster is read back from the page the browser draws; the
 * staff member's app scans it, sends the request with the phone number DingTalk knows; the ISO approves; the
 * Org invitation reaches DingTalk (the fake) and puts the member in the ISO's department; "I have joined Alipay
 * Partners" associates them; Start Promotion stays locked, with the reason, until the ISO's reviewer proposes
 * a method and the region's coordinator agrees it (each told through a DingTalk work notification); then it
 * opens the wizard.
 *
 * The staff member's app is the H5 build in Chromium. A production server signs staff in only through
 * DingTalk (development sign-in is refused, and a release build has none), and a browser is not DingTalk: it
 * has no dd.getAuthCode. So the test does what DingTalk's client does for the app: it takes the auth code the
 * fake DingTalk issues to the member and the app's sign-in call (POST /api/auth/dingtalk, the production
 * path: the server exchanges the code at the fake) gives the session, which the app finds in its storage as
 * after any sign-in. Everything after that is the app's own pages against the production server. (The
 * compiled DingTalk build's own sign-in against a production server is walked in
 * __tests__/dd/dd-release-path.test.ts; the browser is kept here for the pages, the scanner and the console.)
 */
import Database from 'better-sqlite3'
import jsQR from 'jsqr'
import path from 'node:path'
import { PNG } from 'pngjs'
import type { Page } from 'playwright-core'
import type { SessionInfo } from '../../packages/contract/api'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { addConsoleAccount } from '../server/helpers'
import { consolePage, fill, phone, scan, startServerAndBrowserForFile } from './harness'

const fake = new FakeDingTalk({ corpId: 'dingwalkcorp0001' })
beforeAll(async () => {
  await fake.start()
})
const MINI_APP_ID = '5000000000000077'
const env = startServerAndBrowserForFile(() => ({
  production: true,
  env: {
    DINGTALK_APP_KEY: fake.appKey,
    DINGTALK_APP_SECRET: fake.appSecret,
    DINGTALK_AGENT_ID: String(fake.agentId),
    DINGTALK_CORP_ID: fake.corpId,
    DINGTALK_API_BASE: fake.url,
    DINGTALK_MINI_APP_ID: MINI_APP_ID,
    // issue 25: a production server checks payments (here: a reviewer does)
    PAYMENT_VERIFICATION: 'manual',
    TEST_ACCOUNT_KEY: 'a4'.repeat(32),
    MARKETING_CODE_URL_PATTERNS: 'https://qr.alipayplus.example.com/mc/{code}',
    MARKETING_CODE_PATTERN: 'MC[0-9A-F]{12}',
  },
}))
afterAll(async () => {
  await fake.stop()
})

const ISO = { name: 'Harbour Payments Pte. Ltd.', email: 'ops@harbourpay.example', region: 'SEA', dept: 4242 }
const ADMIN = { username: 'ops-admin', name: 'Operations admin', role: 'admin', password: 'walk admin password 1' }
const STAFF = { userid: 'u-mei', name: 'Tan Mei Ling', stateCode: '65', mobile: '91234567' }

const dbPath = () => path.join(env.server.dir, 'workspace.sqlite')

function count(sql: string): number {
  const db = new Database(dbPath(), { readonly: true })
  try {
    return (db.prepare(sql).get() as { n: number }).n
  } finally {
    db.close()
  }
}

async function until(check: () => boolean, what: string, ms = 15000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Reads the QR code on the page as a phone's camera would: a picture of the screen, decoded. */
async function readQrOnScreen(page: Page): Promise<string | null> {
  const png = PNG.sync.read(await page.screenshot())
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null
}

describe('production: the specification’s order, from an empty server to Start Promotion', () => {
  it('an ISO onboarded, its QR scanned, the request approved, the Org invitation at DingTalk, the method agreed, then Start Promotion', async () => {
    const { base } = env.server
    // production starts empty: no ISO, no staff, no console account
    expect(count('SELECT COUNT(*) AS n FROM isos')).toBe(0)
    expect(count('SELECT COUNT(*) AS n FROM staff')).toBe(0)
    expect(count('SELECT COUNT(*) AS n FROM console_accounts')).toBe(0)
    await addConsoleAccount(dbPath(), ADMIN)

    // the administrator onboards the ISO through the console's form
    const admin = await consolePage(env.browser, base, ADMIN.username, ADMIN.password)
    await admin.getByRole('link', { name: 'Onboard an ISO or edit one' }).click()
    await admin.locator('#new-name').fill(ISO.name)
    await admin.locator('#new-email').fill(ISO.email)
    await admin.locator('#new-region').fill(ISO.region)
    await admin.locator('#new-timezone').fill('Asia/Singapore')
    await admin.locator('#new-dingtalkDeptId').fill(String(ISO.dept))
    await admin.locator('#new-maxSpotsPerStore').fill('4')
    await admin.getByRole('button', { name: 'Add the ISO' }).click()
    await admin.locator('.notice', { hasText: `Added ${ISO.name} (${ISO.email}).` }).waitFor()
    const isoId = await admin.locator('tr[data-iso-id]', { hasText: ISO.name }).getAttribute('data-iso-id')
    expect(isoId).toBeTruthy()

    // its reviewer and the region's coordinator, as `npm run console:user` makes them, each with a DingTalk user
    fake.addMember({ userid: 'u-harbour-reviewer', name: 'Harbour reviewer', deptIds: [1] })
    fake.addMember({ userid: 'u-sea-coordinator', name: 'SEA coordinator', deptIds: [1] })
    const REVIEWER = { username: 'harbour', name: 'Harbour reviewer', role: 'iso_reviewer', isoId: isoId!, password: 'walk reviewer password 1' }
    const COORDINATOR = { username: 'sea-coord', name: 'SEA coordinator', role: 'coordinator', region: 'SEA', password: 'walk coordinator password 1' }
    await addConsoleAccount(dbPath(), { ...REVIEWER, dingtalkUserId: 'u-harbour-reviewer' })
    await addConsoleAccount(dbPath(), { ...COORDINATOR, dingtalkUserId: 'u-sea-coordinator' })

    // the reviewer opens the ISO's QR poster; the code printed on it is a DingTalk link to the association page
    const reviewer = await consolePage(env.browser, base, REVIEWER.username, REVIEWER.password)
    await reviewer.setViewportSize({ width: 1000, height: 1400 })
    await reviewer.getByRole('link', { name: `QR poster of ${ISO.name} (SVG, printable)` }).click()
    await reviewer.waitForURL((url) => url.pathname.endsWith('/association-qr.svg'))
    const payload = await readQrOnScreen(reviewer)
    expect(payload).toBe(
      `dingtalk://dingtalkclient/action/open_mini_app?type=2&miniAppId=${MINI_APP_ID}&corpId=${fake.corpId}&agentId=${fake.agentId}` +
        `&pVersion=1&packageType=1&page=${encodeURIComponent(`pages/associate/index?iso=${isoId}`)}`,
    )

    // the staff member, a member of the organisation in DingTalk, opens the app. Outside DingTalk a production
    // server offers no way in (development sign-in is off): the app says so
    const context = await phone(env.browser)
    const app = await context.newPage()
    await app.goto(`${base}/`)
    await app.getByText('Development sign-in is turned off on this server.').waitFor()
    // inside DingTalk, the app's sign-in with the code DingTalk gives it
    fake.addMember({ ...STAFF, deptIds: [1] })
    const signIn = await fetch(`${base}/api/auth/dingtalk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authCode: fake.issueCode(STAFF.userid), corpId: fake.corpId }),
    })
    expect(signIn.status).toBe(200)
    const session = (await signIn.json()) as SessionInfo
    // the session as the app keeps it, with the Marketing Code format the server sent
    expect(session.marketingCodes).toEqual({ urlPatterns: ['https://qr.alipayplus.example.com/mc/{code}'], codePattern: 'MC[0-9A-F]{12}' })
    await app.evaluate((saved) => localStorage.setItem('posm.session', JSON.stringify({ data: saved })), {
      token: session.token,
      expiresAt: session.expiresAt,
      devStaffId: null,
      marketingCodes: session.marketingCodes,
    })
    await app.reload()
    await app.locator('#lock-reason', { hasText: 'Associate with your ISO to unlock promotions.' }).waitFor()
    await expect(app.locator('.product--locked').count()).resolves.toBe(3)

    // the QR scanned in the app: the form names the ISO
    await app.locator('#open-association').click()
    await app.locator('#association-form').waitFor()
    await scan(app, '#scan-iso-qr', payload!)
    await app.locator('#scanned-iso', { hasText: `QR code of ${ISO.name} scanned.` }).waitFor()

    // a phone number that is not DingTalk's is refused; DingTalk's number goes through
    await fill(app, 'isoEmail', ISO.email)
    await fill(app, 'name', STAFF.name)
    await fill(app, 'phone', '+65 9123 4568')
    await app.locator('#submit-association').click()
    await app.locator('#phone-error', { hasText: 'This is not the phone number you log in to DingTalk with.' }).waitFor()
    await fill(app, 'phone', '+65 9123 4567')
    await app.locator('#submit-association').click()
    await app.locator('#submitted-details').waitFor()
    await expect(app.locator('#association-status').textContent()).resolves.toContain(`Your request to ${ISO.name} is pending.`)

    // the ISO's reviewer approves it in the console
    await reviewer.goto(`${base}/console`)
    const row = reviewer.locator('tr[data-request-id]', { hasText: STAFF.name })
    await expect(row.textContent()).resolves.toContain('+65')
    await row.getByRole('button', { name: 'Approve' }).click()
    await reviewer.waitForLoadState()

    // the Org invitation at DingTalk: the mobile looked up (+cc-number form), the member put in the ISO's department
    await until(() => fake.member(STAFF.userid)!.deptIds.includes(ISO.dept), 'the member in the ISO’s DingTalk department')
    expect(fake.count('getbymobile')).toBe(1)
    expect(fake.count('user/update')).toBe(1)
    // (a member already: DingTalk is asked to add them to the department, not to create another member)
    expect(fake.count('user/create')).toBe(0)
    expect(fake.member(STAFF.userid)!.deptIds).toEqual([1, ISO.dept])

    // the app: approved, then "I have joined Alipay Partners" — DingTalk lists them in the department: associated
    await app.locator('#refresh-association').click()
    await app.locator('#association-status', { hasText: `${ISO.name} approved your request.` }).waitFor()
    await app.locator('#confirm-joined').click()
    await app.locator('#association-status', { hasText: `You are associated with ${ISO.name}` }).waitFor()

    // home: Start Promotion visibly locked until a method is agreed
    const notAgreed = 'Start Promotion is locked: your ISO has not agreed a deployment method with the Alipay+ regional coordinator yet.'
    await app.goto(`${base}/#/pages/index/index`)
    await app.locator('#method-lock-reason', { hasText: notAgreed }).waitFor()
    await expect(app.locator('#start-marketing-code').getAttribute('aria-disabled')).resolves.toBe('true')

    // the reviewer proposes Deploy-Then-Verify: the coordinator is told in DingTalk
    await reviewer.goto(`${base}/console/method`)
    await reviewer.locator(`#propose-${isoId}`).selectOption('DEPLOY_THEN_VERIFY')
    await reviewer.getByRole('button', { name: 'Propose to the coordinator' }).click()
    await reviewer.locator('.notice', { hasText: `Proposed Deploy-Then-Verify for ${ISO.name}` }).waitFor()
    await until(() => fake.delivered('u-sea-coordinator').length === 1, 'the coordinator’s work notification')
    expect(fake.delivered('u-sea-coordinator')[0].msg.action_card?.markdown).toContain(ISO.name)
    await app.reload()
    await app
      .locator('#method-lock-reason', {
        hasText: 'Start Promotion is locked: your ISO proposed Deploy-Then-Verify, and the Alipay+ regional coordinator has not agreed it yet.',
      })
      .waitFor()

    // the region's coordinator agrees: the reviewer is told in DingTalk
    const coordinator = await consolePage(env.browser, base, COORDINATOR.username, COORDINATOR.password)
    await coordinator.goto(`${base}/console/method`)
    await coordinator.locator(`#iso-${isoId}`).getByRole('button', { name: 'Agree to Deploy-Then-Verify' }).click()
    await coordinator.locator('.notice', { hasText: `Agreed: ${ISO.name} follows Deploy-Then-Verify.` }).waitFor()
    await until(() => fake.delivered('u-harbour-reviewer').length === 1, 'the reviewer’s work notification')
    expect(fake.delivered('u-harbour-reviewer')[0].msg.action_card?.markdown).toContain(ISO.name)

    // Start Promotion unlocked: it opens the wizard under the agreed method
    await app.reload()
    await app.locator('#deployment-method', { hasText: 'Your ISO follows Deploy-Then-Verify.' }).waitFor()
    await expect(app.locator('#method-lock-reason').count()).resolves.toBe(0)
    await expect(app.locator('#start-marketing-code').getAttribute('aria-disabled')).resolves.not.toBe('true')
    await app.locator('#start-marketing-code').click()
    await app.locator('#step-store').waitFor()
    await expect(app.locator('#wizard-method').textContent()).resolves.toContain('Deploy-Then-Verify')
    await context.close()
  }, 120_000) // the whole walk, with a production server's start-up checks: over 30 s on a busy machine
})
