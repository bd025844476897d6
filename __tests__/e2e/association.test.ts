import type { Page } from 'playwright-core'
import { consolePage, fill, openAppAs, phone, startServerAndBrowserForFile } from './harness'

const env = startServerAndBrowserForFile()

async function requestRow(consoleTab: Page, staffName: string) {
  await consoleTab.reload()
  return consoleTab.locator('tr[data-request-id]', { hasText: staffName })
}

describe('Associate ISO in the browser preview against the local server', () => {
  it('bad input first, then a correct request, approval in /console, Org invitation, associated', async () => {
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-aisyah')

    // locked until associated, with the reason
    await expect(app.locator('#lock-reason').textContent()).resolves.toBe('Associate with your ISO to unlock promotions.')
    await expect(app.locator('.product--locked').count()).resolves.toBe(3)

    await app.locator('#open-association').click()
    await app.locator('#association-form').waitFor()

    // the scanner of the browser preview takes the code's text: a code that is not the ISO's is refused
    await app.locator('#scan-iso-qr').click()
    await app.getByRole('dialog').locator('input').fill('https://example.com/some-menu')
    await app.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click()
    await expect(app.locator('#form-error').textContent()).resolves.toBe('This QR code is not an ISO association code.')
    await app.locator('#scan-iso-qr').click()
    await app.getByRole('dialog').locator('input').fill('posm-workspace://associate?iso=iso-lioncity')
    await app.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click()
    // the QR names its ISO: shown by name, not retyped
    await app.locator('#scanned-iso').waitFor()
    await expect(app.locator('#scanned-iso').textContent()).resolves.toBe(
      'QR code of Lion City Payments Pte. Ltd. scanned. Enter the ISO Email of Lion City Payments Pte. Ltd. and your details below.',
    )
    await expect(app.locator('#form-error').count()).resolves.toBe(0)

    // bad input on every field: a clear message each, nothing typed is lost
    await fill(app, 'isoEmail', 'ops@lioncity')
    await fill(app, 'name', 'A')
    await fill(app, 'phone', '8123 4567')
    await app.locator('#submit-association').click()
    await expect(app.locator('#isoEmail-error').textContent()).resolves.toBe('Enter a valid email address, for example name@company.com.')
    await expect(app.locator('#name-error').textContent()).resolves.toBe('The name is too short.')
    await expect(app.locator('#phone-error').textContent()).resolves.toBe('Start with + and the country code, for example +65.')
    await expect(app.locator('#isoEmail input').inputValue()).resolves.toBe('ops@lioncity')
    await expect(app.locator('#phone input').inputValue()).resolves.toBe('8123 4567')

    // a number invalid for its country
    await fill(app, 'phone', '+65 1234 567')
    await app.locator('#submit-association').click()
    await expect(app.locator('#phone-error').textContent()).resolves.toBe('This is not a valid phone number for its country.')

    // an ISO email that is not the scanned ISO's: refused by the server, marked on the field, the QR's ISO named, the form kept
    await fill(app, 'isoEmail', 'someone@unknown-iso.example')
    await fill(app, 'name', 'Aisyah Rahman')
    await fill(app, 'phone', '+65 8123 4567')
    await app.locator('#submit-association').click()
    await app.locator('#qr-mismatch').waitFor()
    await expect(app.locator('#qr-mismatch').textContent()).resolves.toBe(
      'The QR code you scanned is for Lion City Payments Pte. Ltd. Enter the ISO Email of Lion City Payments Pte. Ltd., or scan your own ISO’s QR code.',
    )
    await expect(app.locator('#isoEmail-error').textContent()).resolves.toBe('The ISO Email does not belong to the ISO whose QR code you scanned.')
    await expect(app.locator('#name input').inputValue()).resolves.toBe('Aisyah Rahman')

    // the right ISO email: the request is pending
    await fill(app, 'isoEmail', 'ops@lioncitypay.example')
    await app.locator('#submit-association').click()
    await app.locator('#submitted-details').waitFor()
    await expect(app.locator('#association-status').textContent()).resolves.toContain('Pending')
    await expect(app.locator('#submitted-details').textContent()).resolves.toContain('ops@lioncitypay.example')

    // the ISO's reviewer sees it in the Review List and approves it
    const consoleTab = await consolePage(env.browser, env.server.base, 'lioncity')
    const row = await requestRow(consoleTab, 'Aisyah Rahman')
    await expect(row.count()).resolves.toBe(1)
    await expect(row.textContent()).resolves.toContain('Lion City Payments')
    await row.getByRole('button', { name: 'Approve' }).click()
    await consoleTab.waitForLoadState()

    // the app moves to the Org invitation step
    await app.locator('#refresh-association').click()
    await app.locator('#confirm-joined').waitFor()
    await expect(app.locator('#association-status').textContent()).resolves.toContain('tap Org invitation and join Alipay Partners')
    await app.locator('#confirm-joined').click()
    await app.getByText('You are associated with Lion City Payments Pte. Ltd.').waitFor()

    // home: unlocked, with the ISO's method; Me shows the association
    await app.goto(`${env.server.base}/#/pages/index/index`)
    await app.locator('#deployment-method').waitFor()
    await expect(app.locator('#deployment-method').textContent()).resolves.toContain('Verify-Then-Deploy')
    await expect(app.locator('.product--locked').count()).resolves.toBe(0)
    await app.locator('#nav-me').click()
    await app.locator('#me-iso').waitFor()
    await expect(app.locator('#me-iso').textContent()).resolves.toContain('Lion City Payments Pte. Ltd.')
    await expect(app.locator('#me-status').textContent()).resolves.toContain('Associated')
    await context.close()
  })

  it('a rejected request shows the ISO’s reason and can be corrected', async () => {
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-farah')
    // the ISO's QR code opens the association page directly
    await app.goto(`${env.server.base}/#/pages/associate/index?iso=iso-nusantara`)
    // (the page says "ISO QR code scanned" until the server has named the ISO, then names it: wait for the name)
    await app.locator('#scanned-iso').waitFor()
    await expect(app.locator('#scanned-iso').textContent()).resolves.toBe(
      'QR code of Nusantara Merchant Services scanned. Enter the ISO Email of Nusantara Merchant Services and your details below.',
    )
    await fill(app, 'isoEmail', 'partners@nusantara-ms.example')
    await fill(app, 'name', 'Farah Ismail')
    await fill(app, 'phone', '+65 9123 4567')
    await app.locator('#submit-association').click()
    await app.locator('#submitted-details').waitFor()

    // a second request while one is pending is refused (through the API, as a double submission would be)
    const second = await app.evaluate(async () => {
      const saved = JSON.parse(localStorage.getItem('posm.session') ?? '{}') as { data?: { token: string }; token?: string }
      const token = saved.data?.token ?? saved.token
      const res = await fetch('/api/association/requests', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ isoEmail: 'partners@nusantara-ms.example', name: 'Farah Ismail', phone: '+6591234567' }),
      })
      return { status: res.status, body: await res.json() }
    })
    expect(second.status).toBe(409)
    expect(second.body.error.code).toBe('REQUEST_PENDING')

    const consoleTab = await consolePage(env.browser, env.server.base, 'nusantara')
    const row = await requestRow(consoleTab, 'Farah Ismail')
    // a reason is required
    await row.getByRole('button', { name: 'Reject' }).click()
    await expect(consoleTab.locator('body').textContent()).resolves.toMatch(/reason/i)
    const again = await requestRow(consoleTab, 'Farah Ismail')
    await again.getByLabel('Reason').fill('This phone number is not registered with us.')
    await again.getByRole('button', { name: 'Reject' }).click()
    await consoleTab.waitForLoadState()

    await app.reload()
    await app.locator('#rejection-reason').waitFor()
    await expect(app.locator('#rejection-reason').textContent()).resolves.toBe('Reason: This phone number is not registered with us.')
    // the corrected request starts from what was sent
    await expect(app.locator('#isoEmail input').inputValue()).resolves.toBe('partners@nusantara-ms.example')
    await fill(app, 'phone', '+65 9123 4568')
    await app.locator('#submit-association').click()
    await app.locator('#submitted-details').waitFor()
    await expect(app.locator('#association-status').textContent()).resolves.toContain('Pending')
    await context.close()
  })
})
