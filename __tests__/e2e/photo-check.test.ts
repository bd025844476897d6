/**
 * Issue 26, item 1 end to end (H5 build, the real server, Chromium): a dark storefront photo is warned at the
 * photo right after capture (the server's check of its upload), the step is not left until the staff member
 * retakes it or keeps it anyway, and Keep anyway reaches the reviewer's page.
 */
import { fillMerchant, fillStore, next, promotionsOf, startPromotion } from './flows'
import { consolePage, openAppAs, phone, scan, startServerAndBrowserForFile, takePhoto } from './harness'
import { picture } from './pictures'
import { code } from './flows'

const env = startServerAndBrowserForFile()
describe('photo quality at capture in the browser preview', () => {
  it('warns of a dark storefront photo at once, holds the step until Keep anyway, and the reviewer sees the choice', async () => {
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-dao')
    await startPromotion(app, 'marketing-code')
    await app.locator('#step-store').waitFor()
    await fillStore(app, 'Kedai Gelap', 9101, ['GCASH'])
    await takePhoto(app, '#storefront-photo', picture(9102, true))
    await expect(app.locator('#storefront-photo-check').textContent()).resolves.toContain('This photo looks too dark.')

    await app.locator('#wizard-next').click()
    await expect(app.locator('#storefront-photo-error').textContent()).resolves.toBe(
      'This photo may be too dark, overexposed or blurred. Retake it, or choose Keep anyway.',
    )
    await expect(app.locator('#step-store').count()).resolves.toBe(1)

    await app.locator('#storefront-photo-keep').click()
    await expect(app.locator('#storefront-photo-kept').textContent()).resolves.toContain('Kept after the warning.')
    await next(app, 'spots')

    await app.locator('#spot-0-position-CASHIER_COUNTER').click()
    await takePhoto(app, '#spot-0-photo', picture(9103))
    await scan(app, '#spot-0-scan', code(9104))
    // the picture has no QR code in it: said before submit, not a refusal
    await expect(app.locator('#spot-0-code-in-photo').textContent()).resolves.toContain('The photo does not show the code you scanned')
    await next(app, 'merchant')
    await fillMerchant(app)
    await next(app, 'summary')
    await expect(app.locator('#summary-spot-0-code-in-photo').textContent()).resolves.toContain('The photo does not show the code you scanned')
    await app.locator('#wizard-submit').click()
    await app.locator('#wizard-outcome[data-state="submitted"]').waitFor({ timeout: 30000 })

    const [promotion] = (await promotionsOf(app)).filter((p) => p.store.name === 'Kedai Gelap')
    const reviewer = await consolePage(env.browser, env.server.base, 'console')
    await reviewer.goto(`${env.server.base}/console/promotions/${promotion.id}`)
    await expect(reviewer.locator('[data-review="store"] [data-photo-quality="DARK"]').textContent()).resolves.toContain(
      'The staff member was warned and kept it anyway.',
    )
    await expect(reviewer.locator('[data-spot-index="0"] [data-code-check="NONE"]').textContent()).resolves.toBe('No readable code in the photo.')
    await context.close()
  })
})
