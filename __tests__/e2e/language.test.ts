import { DICTIONARIES } from '../../src/i18n/all'
import { openAppAs, phone, startServerAndBrowserForFile } from './harness'
const en = DICTIONARIES.en
const th = DICTIONARIES.th
const zhCN = DICTIONARIES['zh-CN']

const env = startServerAndBrowserForFile()

describe('working language from the bottom-center navigation item', () => {
  it('switches to two languages and back, relabelling page, title and navigation, and survives a reload', async () => {
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-chen')

    // Me: masked phone, ISO, method and the Alipay test account the ISO assigned
    await app.locator('#nav-me').click()
    await app.locator('#me-test-account').waitFor()
    await expect(app.locator('#me-test-account').textContent()).resolves.toContain('alipay.test.chen@lioncitypay.example')
    await expect(app.locator('#me-phone').textContent()).resolves.toContain('+65 8•••••67')
    await expect(app.locator('#me-method').textContent()).resolves.toContain('Verify-Then-Deploy')

    // the center item of the bottom navigation is the language choice
    const items = app.locator('.bottom-nav__item')
    await expect(items.count()).resolves.toBe(5)
    await expect(items.nth(2).getAttribute('id')).resolves.toBe('nav-language')
    await items.nth(2).click()
    await app.locator('#lang-zh-CN').waitFor()
    await expect(app.title()).resolves.toBe(en['title.language'])

    await app.locator('#lang-zh-CN').click()
    await expect(app.locator('#nav-home').textContent()).resolves.toContain(zhCN['nav.home'])
    await expect(app.locator('#nav-language').textContent()).resolves.toContain(zhCN['nav.language'])
    await expect(app.locator('#nav-me').textContent()).resolves.toContain(zhCN['nav.me'])
    await expect(app.locator('.page__body').first().textContent()).resolves.toContain(zhCN['lang.hint'])
    await expect(app.title()).resolves.toBe(zhCN['title.language'])
    await expect(app.locator('#today').textContent()).resolves.toMatch(/\d{4}年\d{1,2}月\d{1,2}日/)

    await app.locator('#lang-th').click()
    await expect(app.locator('#nav-home').textContent()).resolves.toContain(th['nav.home'])
    await expect(app.title()).resolves.toBe(th['title.language'])

    // kept after a reload (a restart of the app)
    await app.reload()
    await app.locator('#lang-th').waitFor()
    await expect(app.locator('#nav-me').textContent()).resolves.toContain(th['nav.me'])
    await expect(app.title()).resolves.toBe(th['title.language'])

    // the other pages follow
    await app.locator('#nav-home').click()
    await app.locator('#association-card').waitFor()
    await expect(app.locator('body').textContent()).resolves.toContain(th['home.product.marketingCode'])
    await expect(app.title()).resolves.toBe(th['title.home'])

    // and back to English
    await app.locator('#nav-language').click()
    await app.locator('#lang-en').click()
    await expect(app.locator('#nav-home').textContent()).resolves.toContain('Home')
    await expect(app.title()).resolves.toBe('Working language')
    await context.close()
  })
})
