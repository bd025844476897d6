/**
 * The test account, end to end in the browser preview: the ISO's reviewer sets it in the console (Staff
 * Details), the staff member taps Show in the payment step of an Alipay-only store and copies the password
 * (the browser's clipboard), and the reveal is in the test account's history in the console.
 */
import { startPromotion } from './flows'
import { consolePage, openAppAs, phone, startServerAndBrowserForFile } from './harness'

const env = startServerAndBrowserForFile()

describe('the Alipay test account in the browser preview', () => {
  it('set by the ISO in the console, revealed and copied by its staff member, the reveal in its history', async () => {
    const password = 'Chen-e2e-Pass-42'
    const lion = await consolePage(env.browser, env.server.base, 'lioncity')
    await lion.locator('a[href="/console/staff/staff-chen/test-account"]').click()
    // an email the browser lets through but the server refuses (no domain ending): the message, the typed email kept
    await lion.locator('#ta-email').fill('chen@lioncity')
    await lion.locator('#ta-password').fill(password)
    await lion.getByRole('button', { name: 'Save changes' }).click()
    await expect(lion.locator('#test-account-errors').textContent()).resolves.toContain('This is not an email address')
    await expect(lion.locator('#ta-email').inputValue()).resolves.toBe('chen@lioncity')
    await expect(lion.locator('#ta-password').inputValue()).resolves.toBe('')
    await lion.locator('#ta-email').fill('chen.e2e@lioncitypay.example')
    await lion.locator('#ta-password').fill(password)
    await lion.getByRole('button', { name: 'Save changes' }).click()
    await expect(lion.locator('.notice').textContent()).resolves.toContain('Saved: Chen Wei sees the test account chen.e2e@lioncitypay.example')
    await expect(lion.content()).resolves.not.toContain(password)

    const context = await phone(env.browser)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.base })
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-chen')
    await startPromotion(app, 'marketing-code')
    await app.locator('#wallet-ALIPAY').click()
    await expect(app.locator('#test-account').textContent()).resolves.toContain('chen.e2e@lioncitypay.example')
    await expect(app.locator('#test-account-password').textContent()).resolves.toContain('••••••••')
    await app.locator('#test-account-show').click()
    // the password is fetched from the server when shown: wait for it, then for the copy's confirmation
    await app.locator('#test-account-password', { hasText: password }).waitFor()
    await app.locator('#test-account-copy').click()
    await app.locator('#test-account-copied', { hasText: 'Password copied' }).waitFor()
    await expect(app.locator('#test-account-copied').textContent()).resolves.toBe('Password copied')
    await expect(app.evaluate(() => navigator.clipboard.readText())).resolves.toBe(password)
    // Hide forgets it; the device's storage never had it
    await app.locator('#test-account-hide').click()
    await expect(app.locator('#test-account-password').textContent()).resolves.not.toContain(password)
    const stored = await app.evaluate(() => JSON.stringify({ ...localStorage }))
    expect(stored).not.toContain(password)

    await lion.reload()
    await expect(lion.locator('#history').locator('..').textContent()).resolves.toContain('Revealed the test account’s password')
    await context.close()
  })
})
