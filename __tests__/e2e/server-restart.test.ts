/**
 * The server killed (SIGKILL: no shutdown, as in a crash) and started again on the same data and port at
 * each step of a promotion, in both wizards, in the browser. Steps that need no server go on without it and
 * keep everything typed and photographed; a network action that fails says so in the working language and
 * keeps its input; every case ends with exactly one submission and all its photos, and the outbox shows
 * the truth at each moment.
 */
import type { Page, Route } from 'playwright-core'
import { code, fillMerchant, fillStore, next, promotionsOf, ref, startPromotion } from './flows'
import { fill, openAppAs, phone, scan, startServer, startServerAndBrowserForFile, takePhoto } from './harness'
import { picture } from './pictures'
import { translate, type MessageKey, type Params } from '../../src/i18n'
import { DICTIONARIES } from '../../src/i18n/all'

const env = startServerAndBrowserForFile()

/** The app's messages, in the two working languages this test uses (as the staff member sees them). */
const en = DICTIONARIES.en
const indonesian = DICTIONARIES.id
type Key = MessageKey

/** Kills the server process (its database and photos stay on disk), and checks that it is gone. */
async function killServer() {
  await env.server.kill()
  await expect(fetch(`${env.server.base}/`)).rejects.toThrow()
}

/** Starts the server again on the same data and port. */
async function restartServer() {
  const { dir, port } = env.server
  env.server = await startServer({ dir, port })
}

/** Waits (at most 30 s) until `done()` holds. */
async function until(done: () => boolean) {
  for (let waited = 0; !done(); waited += 100) {
    if (waited > 30000) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Retry, as the staff member does, until the outbox has sent it (an automatic attempt may get there first). */
async function retry(app: Page) {
  const submitted = app.locator('#wizard-outcome[data-state="submitted"]')
  await Promise.race([app.locator('[id^="outbox-retry-"]').click({ timeout: 30000 }), submitted.waitFor({ timeout: 30000 })])
  await submitted.waitFor({ timeout: 30000 })
}

async function text(app: Page, selector: string): Promise<string> {
  return (await app.locator(selector).textContent()) ?? ''
}

/** The promotions of this staff member with that store name, each with its photos fetched from the server. */
async function onServer(app: Page, name: string) {
  const mine = (await promotionsOf(app)).filter((p) => p.store.name === name) as unknown as Array<{
    id: string
    status: string
    store: { storefrontPhotoId: string }
    spots: Array<{ photoId: string; marketingCode: string | null }>
    paymentVerifications: Array<{ mode: string; status: string; reference: string }>
  }>
  const photos = await Promise.all(
    mine.map((p) =>
      app.evaluate(
        async (ids: string[]) => {
          const saved = JSON.parse(localStorage.getItem('posm.session') ?? '{}') as { data?: { token: string }; token?: string }
          const token = saved.data?.token ?? saved.token
          const answers = await Promise.all(
            ids.map((photo) => fetch(`/api/uploads/${encodeURIComponent(photo)}`, { headers: { Authorization: `Bearer ${token}` } })),
          )
          return Promise.all(
            answers.map(async (res) => ({ status: res.status, type: res.headers.get('content-type'), bytes: (await res.arrayBuffer()).byteLength })),
          )
        },
        [...new Set([p.store.storefrontPhotoId, ...p.spots.map((s) => s.photoId)])],
      ),
    ),
  )
  return mine.map((p, i) => ({ ...p, photos: photos[i] }))
}

/** Exactly one promotion of that name on the server, with `count` distinct photos, every one readable. */
async function expectOneWithPhotos(app: Page, name: string, count: number) {
  const mine = await onServer(app, name)
  expect(mine).toHaveLength(1)
  expect(mine[0].photos).toHaveLength(count)
  for (const photo of mine[0].photos) {
    expect(photo.status).toBe(200)
    expect(photo.type).toMatch(/^image\//)
    expect(photo.bytes).toBeGreaterThan(100)
  }
  return mine[0]
}

/**
 * Lets the request reach the server and be handled there, then kills the server before its answer gets
 * back: the phone sees the connection drop although the server has done it.
 */
function killAfterHandled(done: () => void) {
  return async (route: Route) => {
    if (route.request().method() !== 'POST') return route.continue()
    await route.fetch()
    await env.server.kill()
    await route.abort('connectionreset')
    done()
  }
}

describe('the server killed and restarted at each step of a promotion', () => {
  it('Deploy-Then-Verify, Primary POSM, in Bahasa Indonesia: every step, Submit and the payment verification', async () => {
    const t = (key: Key, params?: Params) => translate('id', key, params)
    const STORE = 'Warung Restart Ibu Ani'
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-dao')
    await app.locator('#nav-language').click()
    await app.locator('#lang-id').click()
    await expect(text(app, '#nav-home')).resolves.toContain(indonesian['nav.home'])
    await app.locator('#nav-home').click()
    await app.locator('#association-card').waitFor()
    await startPromotion(app, 'primary-posm')
    await app.locator('#step-store').waitFor()

    // 1. store: the server dies before anything is typed; the step and its Next need none of it
    await killServer()
    await fillStore(app, STORE, 901, ['GCASH'])
    await next(app, 'spots')
    await restartServer()
    await app.locator('#wizard-back').click()
    await app.locator('#step-store').waitFor()
    await expect(app.locator('#store-name input').inputValue()).resolves.toBe(STORE)
    await app.locator('#storefront-photo-field .photo__img').waitFor()
    await next(app, 'spots')

    // 2. spots: killed again; two spots photographed; after the restart a reload (the app comes from the server) finds them all
    await killServer()
    await app.locator('#spot-0-position-CASHIER_COUNTER').click()
    await takePhoto(app, '#spot-0-photo', picture(902))
    await app.locator('#spot-0-material-STICKER').click()
    await app.locator('#add-spot').click()
    await app.locator('#spot-1-position-ENTRANCE').click()
    await takePhoto(app, '#spot-1-photo', picture(903))
    await app.locator('#spot-1-material-STICKER').click()
    await app.locator('#spot-1-photo-field .photo__img').waitFor()
    await restartServer()
    await app.reload()
    await app.locator('#step-spots').waitFor()
    await app.locator('#spot-0-photo-field .photo__img').waitFor()
    await app.locator('#spot-1-photo-field .photo__img').waitFor()
    await expect(app.locator('#spot-1-position-ENTRANCE').getAttribute('aria-checked')).resolves.toBe('true')
    await next(app, 'merchant')

    // 3. merchant: killed; typed and left for the summary without the server
    await killServer()
    await fillMerchant(app)
    await next(app, 'summary')
    await restartServer()

    // 4. summary: everything typed is there after a reload; the server dies just before Submit (and a double tap)
    await app.reload()
    await app.locator('#step-summary').waitFor()
    const summary = await text(app, '#step-summary')
    for (const typed of [STORE, 'Tan Mei Ling', 'Mei Ling Kopi Pte. Ltd.']) expect(summary).toContain(typed)
    let failedUploads = 0
    app.on('requestfailed', (request) => {
      if (request.url().endsWith('/api/uploads')) failedUploads++
    })
    await killServer()
    await app.locator('#wizard-submit').click()
    await app
      .locator('#wizard-submit')
      .click({ timeout: 1000 })
      .catch(() => undefined) // a double tap
    await app.locator('#wizard-outcome[data-state="submitting"]').waitFor()
    await app.getByText(t('outbox.lastError', { error: indonesian['error.NETWORK'] })).waitFor()
    expect(await text(app, '#wizard-outcome')).toContain(t('outbox.photos', { done: 0, total: 3 }))
    // the outbox tries again by itself while the server is down: the same truth after that attempt
    await until(() => failedUploads >= 2)
    const outbox = await text(app, '#wizard-outcome')
    expect(outbox).toContain(t('outbox.photos', { done: 0, total: 3 }))
    expect(outbox).toContain(t('outbox.lastError', { error: indonesian['error.NETWORK'] }))
    expect(outbox).not.toContain(indonesian['wizard.sentAwaitingPayment'])

    await restartServer()
    await retry(app)
    await expect(text(app, '#wizard-outcome')).resolves.toContain(indonesian['wizard.sentAwaitingPayment'])
    const submitted = await expectOneWithPhotos(app, STORE, 3)
    expect(submitted.status).toBe('AWAITING_PAYMENT_VERIFICATION')

    // 5. the payment, from the submission (GCASH: Alipay+ Linker)
    await app.locator('#verify-now').click()
    await app.locator('#payment-tool').waitFor()
    await expect(text(app, '#promotion-status')).resolves.toBe(indonesian['promotionStatus.AWAITING_PAYMENT_VERIFICATION'])

    // MPM: the server is down when Verify is pressed: a clear error, the reference and the photo stay
    await fill(app, 'pay-MPM-reference', ref(9041))
    await takePhoto(app, '#pay-MPM-photo', picture(904))
    await killServer()
    await app.locator('#pay-MPM-verify').click()
    await app.locator('#pay-MPM-error').waitFor()
    await expect(text(app, '#pay-MPM-error')).resolves.toBe(indonesian['error.NETWORK'])
    await expect(app.locator('#pay-MPM-reference input').inputValue()).resolves.toBe(ref(9041))
    await app.locator('#pay-MPM-photo-field .photo__img').waitFor()
    await expect(app.locator('#pay-MPM-result').count()).resolves.toBe(0)
    await restartServer()
    await app.locator('#pay-MPM-verify').click()
    await app.locator('#pay-MPM-result').waitFor()
    await expect(text(app, '#pay-MPM-result')).resolves.toContain(indonesian['payment.passed'])
    await expect(app.locator('#pay-MPM-error').count()).resolves.toBe(0)

    // UPM: the server records the evidence and dies before its answer reaches the phone
    let handled = false
    await app.route(
      '**/api/promotions/*/payment-verifications',
      killAfterHandled(() => (handled = true)),
    )
    await fill(app, 'pay-UPM-reference', ref(9051))
    await takePhoto(app, '#pay-UPM-photo', picture(905))
    await app.locator('#pay-UPM-verify').click()
    await app.locator('#pay-UPM-error').waitFor()
    expect(handled).toBe(true)
    await expect(text(app, '#pay-UPM-error')).resolves.toBe(indonesian['error.NETWORK'])
    await expect(app.locator('#pay-UPM-reference input').inputValue()).resolves.toBe(ref(9051))
    await app.locator('#pay-UPM-photo-field .photo__img').waitFor()
    await app.unroute('**/api/promotions/*/payment-verifications')
    await restartServer()
    // Verify again: the server already has it; the phone learns the truth, not an error
    await app.locator('#pay-UPM-verify').click()
    await app.locator('#pay-UPM-result').waitFor()
    await expect(text(app, '#pay-UPM-result')).resolves.toContain(indonesian['payment.passed'])
    await expect(app.locator('#pay-UPM-error').count()).resolves.toBe(0)
    await expect(text(app, '#promotion-status')).resolves.toBe(indonesian['promotionStatus.PENDING_REVIEW'])

    const reviewed = await expectOneWithPhotos(app, STORE, 3)
    expect(reviewed.id).toBe(submitted.id)
    expect(reviewed.status).toBe('PENDING_REVIEW')
    // each mode's evidence recorded once: the Verify after the lost answer recorded nothing twice
    expect(reviewed.paymentVerifications.map((v) => [v.mode, v.reference, v.status])).toEqual([
      ['MPM', ref(9041), 'PASSED'],
      ['UPM', ref(9051), 'PASSED'],
    ])
    await context.close()
  })

  it('Verify-Then-Deploy, Marketing Code: killed during the payment verification, every step and twice during the submission', async () => {
    const t = (key: Key, params?: Params) => translate('en', key, params)
    const STORE = 'Restart Kopi Tiam'
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-chen')
    await startPromotion(app, 'marketing-code')
    await expect(text(app, '#wizard-method')).resolves.toContain('Verify-Then-Deploy')

    // 1. payment, MPM: the server is down when Verify is pressed; the wizard does not go on without the verification
    await app.locator('#wallet-ALIPAY').click()
    await app.locator('#payment-tool').waitFor()
    await fill(app, 'pay-MPM-reference', ref(9201))
    await takePhoto(app, '#pay-MPM-photo', picture(921))
    await killServer()
    await app.locator('#pay-MPM-verify').click()
    await app.locator('#pay-MPM-error').waitFor()
    await expect(text(app, '#pay-MPM-error')).resolves.toBe(en['error.NETWORK'])
    await expect(app.locator('#pay-MPM-reference input').inputValue()).resolves.toBe(ref(9201))
    await app.locator('#pay-MPM-photo-field .photo__img').waitFor()
    await app.locator('#wizard-next').click()
    await expect(text(app, '#wizard-errors')).resolves.toBe(en['error.PAYMENT_NOT_VERIFIED'])
    await expect(app.locator('#step-store').count()).resolves.toBe(0)
    await restartServer()
    await app.locator('#pay-MPM-verify').click()
    await app.locator('#pay-MPM-result').waitFor()
    await expect(text(app, '#pay-MPM-result')).resolves.toContain(en['payment.passed'])

    // UPM: the server records the evidence and dies before its answer; Verify again after the restart
    let handled = false
    await app.route(
      '**/api/payment-verifications',
      killAfterHandled(() => (handled = true)),
    )
    await fill(app, 'pay-UPM-reference', ref(9202))
    await takePhoto(app, '#pay-UPM-photo', picture(922))
    await app.locator('#pay-UPM-verify').click()
    await app.locator('#pay-UPM-error').waitFor()
    expect(handled).toBe(true)
    await expect(text(app, '#pay-UPM-error')).resolves.toBe(en['error.NETWORK'])
    await expect(app.locator('#pay-UPM-reference input').inputValue()).resolves.toBe(ref(9202))
    await app.unroute('**/api/payment-verifications')
    await restartServer()
    await app.locator('#pay-UPM-verify').click()
    await app.locator('#pay-UPM-result').waitFor()
    await expect(text(app, '#pay-UPM-result')).resolves.toContain(en['payment.passed'])
    // both verifications are part of the draft: a reload keeps them
    await app.reload()
    await app.locator('#pay-UPM-result').waitFor()
    await expect(text(app, '#pay-MPM-result')).resolves.toContain(en['payment.passed'])
    await next(app, 'store')

    // 2. store: killed; filled in and left without the server
    await killServer()
    await fillStore(app, STORE, 923, null)
    await next(app, 'spots')

    // 3. spots, still without the server: the codes scanned are kept (the server decides at submission)
    await app.locator('#spot-0-position-CASHIER_COUNTER').click()
    await takePhoto(app, '#spot-0-photo', picture(924))
    await scan(app, '#spot-0-scan', code(9201))
    await expect(text(app, '#spot-0-code')).resolves.toBe('APMC0000009201')
    await app.locator('#add-spot').click()
    await app.locator('#spot-1-position-ENTRANCE').click()
    await takePhoto(app, '#spot-1-photo', picture(925))
    await scan(app, '#spot-1-scan', code(9202))
    await expect(text(app, '#spot-1-code')).resolves.toBe('APMC0000009202')
    await app.locator('#spot-1-photo-field .photo__img').waitFor()
    await expect(app.locator('#spot-0-code-error, #spot-1-code-error').count()).resolves.toBe(0)
    await restartServer()
    await app.reload()
    await app.locator('#step-spots').waitFor()
    await expect(text(app, '#spot-1-code')).resolves.toBe('APMC0000009202')
    await app.locator('#spot-1-photo-field .photo__img').waitFor()
    await app.locator('#wizard-back').click()
    await app.locator('#step-store').waitFor()
    await expect(app.locator('#store-name input').inputValue()).resolves.toBe(STORE)
    await app.locator('#storefront-photo-field .photo__img').waitFor()
    await next(app, 'spots')
    await next(app, 'merchant')

    // 4. merchant: killed; typed; the server back for the summary
    await killServer()
    await fillMerchant(app)
    await next(app, 'summary')
    await restartServer()
    await expect(text(app, '#summary-spots')).resolves.toContain('APMC0000009202')

    // 5. Submit: the server dies during the second photo upload ...
    let uploads = 0
    await app.route('**/api/uploads', async (route) => {
      if (++uploads === 2) await env.server.kill()
      await route.continue()
    })
    let stored = false
    await app.route(
      '**/api/promotions',
      killAfterHandled(() => (stored = true)),
    )
    await app.locator('#wizard-submit').click()
    await app.locator('#wizard-outcome[data-state="submitting"]').waitFor()
    await app.getByText(t('outbox.lastError', { error: en['error.NETWORK'] })).waitFor()
    await expect(text(app, '#wizard-outcome')).resolves.toContain(t('outbox.photos', { done: 1, total: 3 }))
    await app.unroute('**/api/uploads')

    // ... comes back, and the outbox goes on by itself; then it dies once more, after storing the promotion but before answering
    await restartServer()
    await app.getByText(t('outbox.photos', { done: 3, total: 3 })).waitFor({ timeout: 30000 })
    await until(() => stored)
    await app.locator('#wizard-outcome[data-state="submitting"] [data-status="pending"]').waitFor()
    const outbox = await text(app, '#wizard-outcome')
    expect(outbox).toContain(t('outbox.lastError', { error: en['error.NETWORK'] }))
    expect(outbox).toContain(en['outbox.status.pending'])
    await app.unroute('**/api/promotions')

    // back again: Retry answers the promotion already stored, not a second one
    await restartServer()
    await retry(app)
    await expect(text(app, '#wizard-outcome')).resolves.toContain(en['promotionStatus.PENDING_REVIEW'])
    const mine = await expectOneWithPhotos(app, STORE, 3)
    expect(mine.status).toBe('PENDING_REVIEW')
    expect(mine.spots.map((s) => s.marketingCode)).toEqual(['APMC0000009201', 'APMC0000009202'])
    expect(mine.paymentVerifications.map((v) => [v.mode, v.reference, v.status])).toEqual([
      ['MPM', ref(9201), 'PASSED'],
      ['UPM', ref(9202), 'PASSED'],
    ])
    await context.close()
  })
})
