import { code, fillMerchant, fillStore, next, promotionsOf, ref, startPromotion, verifyMode } from './flows'
import { consolePage, fill, openAppAs, phone, scan, startServer, startServerAndBrowserForFile, takePhoto } from './harness'
import { picture } from './pictures'

const env = startServerAndBrowserForFile()
describe('Promote Alipay+ POSMs in the browser preview against the local server', () => {
  it('Verify-Then-Deploy, Marketing Code with two spots: refused evidence, a reload mid-wizard, a repeated code, then Pending review', async () => {
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-chen')
    await startPromotion(app, 'marketing-code')
    await expect(app.locator('#wizard-method').textContent()).resolves.toContain('Verify-Then-Deploy')

    // 1. verify the payment: the tool follows the wallets; both modes, each with evidence
    await app.locator('#wizard-next').click()
    await expect(app.locator('#wizard-errors').textContent()).resolves.toBe('Verify the payment in both modes first.')
    await app.locator('#wallet-ALIPAY').click()
    await expect(app.locator('#payment-tool').textContent()).resolves.toContain('Verify with Alipay')
    await expect(app.locator('#test-account').textContent()).resolves.toContain('alipay.test.chen@lioncitypay.example')
    await app.locator('#wallet-GCASH').click()
    await expect(app.locator('#payment-tool').textContent()).resolves.toContain('Verify with Alipay+ Linker')
    await fill(app, 'pay-MPM-reference', 'AP123')
    await app.locator('#pay-MPM-verify').click()
    await expect(app.locator('#pay-MPM-reference-error').textContent()).resolves.toBe('A transaction reference is AP followed by 18 digits.')
    await verifyMode(app, 'MPM', 'AP202611250000000000', 101)
    await expect(app.locator('#pay-MPM-result').textContent()).resolves.toContain('No payment with this reference was found')
    await verifyMode(app, 'MPM', ref(1), 102)
    await expect(app.locator('#pay-MPM-result').textContent()).resolves.toContain('Verified')
    await verifyMode(app, 'UPM', ref(2), 103)
    await expect(app.locator('#pay-UPM-result').textContent()).resolves.toContain('Verified')
    await next(app, 'store')

    // 2. store information; the policy stops a deployment without the manager's consent
    await fillStore(app, 'Mei Ling Kopi', 104, null)
    await app.locator('#consent').click()
    await app.locator('#wizard-next').click()
    await expect(app.locator('#consent-error').textContent()).resolves.toBe('Deployment needs the consent of the store’s manager (POSM Deployment Policy).')
    await app.locator('#consent').click()

    // a reload in the middle of the wizard resumes it, photo included
    await app.reload()
    await app.locator('#step-store').waitFor()
    await expect(app.locator('#store-name input').inputValue()).resolves.toBe('Mei Ling Kopi')
    await app.locator('#storefront-photo-field .photo__img').waitFor()
    await next(app, 'spots')

    // 3. spots: each with its position, photo and the code scanned from the material
    await app.locator('#spot-0-position-CASHIER_COUNTER').click()
    await takePhoto(app, '#spot-0-photo', picture(105))
    await scan(app, '#spot-0-scan', 'https://example.com/menu')
    // not a Marketing Code: said what it is
    await expect(app.locator('#spot-0-code-error').textContent()).resolves.toBe(
      'This is a web link, not an Alipay+ Marketing Code. Scan the Marketing Code on the material.',
    )
    await scan(app, '#spot-0-scan', code(1001))
    await expect(app.locator('#spot-0-code').textContent()).resolves.toBe('APMC0000001001')
    await app.locator('#add-spot').click()
    await app.locator('#spot-1-position-ENTRANCE').click()
    await takePhoto(app, '#spot-1-photo', picture(106))
    await scan(app, '#spot-1-scan', code(1001))
    await expect(app.locator('#spot-1-code-error').textContent()).resolves.toBe('This Marketing Code is already used for another spot in this promotion.')
    await scan(app, '#spot-1-scan', code(1002))
    await next(app, 'merchant')

    // 4. supplementary merchant information, then the summary and Submit
    await fillMerchant(app)
    await next(app, 'summary')
    await expect(app.locator('#summary-spots').textContent()).resolves.toContain('APMC0000001002')
    await app.locator('#wizard-submit').click()
    await app.locator('#wizard-outcome[data-state="submitted"]').waitFor()
    await expect(app.locator('#wizard-outcome').textContent()).resolves.toContain('Pending review')

    const promotions = await promotionsOf(app)
    expect(promotions.filter((p) => p.store.name === 'Mei Ling Kopi')).toHaveLength(1)
    expect(promotions.find((p) => p.store.name === 'Mei Ling Kopi')?.status).toBe('PENDING_REVIEW')

    // a code bound in that promotion is refused in the next one, at once
    await app.goto(`${env.server.base}/#/pages/index/index`)
    await startPromotion(app, 'marketing-code')
    await app.locator('#wallet-ALIPAY').click()
    await verifyMode(app, 'MPM', ref(3), 107)
    await verifyMode(app, 'UPM', ref(4), 108)
    await next(app, 'store')
    // a repeated photo: the storefront of the first promotion again
    await fillStore(app, 'Second Kopi', 104, null)
    await next(app, 'spots')
    await app.locator('#spot-0-position-TABLE').click()
    await takePhoto(app, '#spot-0-photo', picture(109))
    await scan(app, '#spot-0-scan', code(1002))
    await expect(app.locator('#spot-0-code-error').textContent()).resolves.toBe('This Marketing Code is already bound to another spot or store.')
    await scan(app, '#spot-0-scan', code(1003))
    await next(app, 'merchant')
    await fillMerchant(app)
    await next(app, 'summary')
    await app.locator('#wizard-submit').click()
    await app.locator('#wizard-outcome[data-state="refused"]').waitFor()
    await expect(app.locator('#wizard-outcome').textContent()).resolves.toContain('This photo was submitted before. The policy requires a new photo.')

    // Modify: back to the form, retake the photo, submit again: one promotion
    await app.locator('#wizard-outcome taro-button-core').click()
    await app.locator('#edit-store').click()
    await takePhoto(app, '#storefront-photo', picture(110))
    await next(app, 'spots')
    await next(app, 'merchant')
    await next(app, 'summary')
    await app.locator('#wizard-submit').click()
    await app.locator('#wizard-outcome[data-state="submitted"]').waitFor()
    expect((await promotionsOf(app)).filter((p) => p.store.name === 'Second Kopi')).toHaveLength(1)
    await context.close()
  })

  it('Deploy-Then-Verify, Primary POSM: the server stops during Submit and comes back; exactly one submission; then the payment', async () => {
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-dao')
    await startPromotion(app, 'primary-posm')
    await expect(app.locator('#wizard-method').textContent()).resolves.toContain('Deploy-Then-Verify')
    await app.locator('#step-store').waitFor()

    await fillStore(app, 'Warung Bu Sri', 201, ['ALIPAY'])
    await next(app, 'spots')
    await app.locator('#spot-0-position-CASHIER_COUNTER').click()
    await takePhoto(app, '#spot-0-photo', picture(202))
    await app.locator('#spot-0-material-STICKER').click()
    await next(app, 'merchant')
    await fillMerchant(app)
    await next(app, 'summary')

    // the server goes away just as the staff member submits
    const { dir, port } = env.server
    await env.server.stop({ keepData: true })
    await app.locator('#wizard-submit').click()
    await app
      .locator('#wizard-submit')
      .click({ timeout: 1000 })
      .catch(() => undefined) // a double tap
    await app.locator('#wizard-outcome[data-state="submitting"]').waitFor()
    await app.getByText('Last error: No connection to the server.', { exact: false }).waitFor()

    env.server = await startServer({ dir, port })
    await app.locator('#wizard-outcome taro-button-core').first().click() // Retry
    await app.locator('#wizard-outcome[data-state="submitted"]').waitFor({ timeout: 30000 })
    await expect(app.locator('#wizard-outcome').textContent()).resolves.toContain('Awaiting payment verification')
    const mine = (await promotionsOf(app)).filter((p) => p.store.name === 'Warung Bu Sri')
    expect(mine).toHaveLength(1)
    expect(mine[0].status).toBe('AWAITING_PAYMENT_VERIFICATION')

    // verify the payment from the submission: Alipay only, so the Alipay app with the ISO's test account
    await app.locator('#verify-now').click()
    await app.locator('#payment-tool').waitFor()
    await expect(app.locator('#payment-tool').textContent()).resolves.toContain('alipay.test.dao@nusantara-ms.example')
    await verifyMode(app, 'MPM', ref(11), 203)
    await verifyMode(app, 'UPM', ref(12), 204)
    await expect(app.locator('#promotion-status').textContent()).resolves.toBe('Pending review')
    expect((await promotionsOf(app)).find((p) => p.id === mine[0].id)?.status).toBe('PENDING_REVIEW')

    // the reviewer sees it in /console
    const consoleTab = await consolePage(env.browser, env.server.base, 'alipay')
    await consoleTab.goto(`${env.server.base}/console/promotions`)
    await expect(consoleTab.locator('body').textContent()).resolves.toContain('Warung Bu Sri')
    await expect(consoleTab.locator('body').textContent()).resolves.toContain('Mei Ling Kopi')
    await context.close()
  })
})
