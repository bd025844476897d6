/**
 * Faults during a submission, in the browser: the network cut during a photo upload, the page reloaded
 * between the uploads and the submission, the device offline. Each ends with exactly one submission and
 * all its photos, and the outbox shows the truth at each moment.
 */
import type { Page } from 'playwright-core'
import { primaryPosmToSummary, promotionsOf } from './flows'
import { openAppAs, phone, startServerAndBrowserForFile } from './harness'

const env = startServerAndBrowserForFile()

async function outboxText(app: Page) {
  return (await app.locator('#wizard-outcome').textContent()) ?? ''
}

async function photosOnServer(app: Page, name: string): Promise<number> {
  const mine = (await promotionsOf(app)).filter((p) => p.store.name === name) as unknown as Array<{
    store: { storefrontPhotoId: string }
    spots: Array<{ photoId: string }>
  }>
  expect(mine).toHaveLength(1)
  return new Set([mine[0].store.storefrontPhotoId, ...mine[0].spots.map((s) => s.photoId)]).size
}

describe('faults during a submission', () => {
  it('the network is cut during a photo upload: the outbox says so, keeps everything, and sends it once', async () => {
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-dao')
    // no connection for the photos while they are taken (issue 26: no check at capture), so the outbox uploads them
    await app.route('**/api/uploads', (route) => route.abort('connectionreset'))
    await primaryPosmToSummary(app, env.server.base, 'Fault Upload Store', 2, 800)
    await app.unroute('**/api/uploads')
    let uploads = 0
    await app.route('**/api/uploads', (route) => (++uploads === 2 ? route.abort('connectionreset') : route.continue()))
    await app.locator('#wizard-submit').click()
    await app.locator('#wizard-outcome[data-state="submitting"]').waitFor()
    await app.getByText('Last error: No connection to the server.', { exact: false }).waitFor()
    expect(await outboxText(app)).toContain('Photos uploaded: 1 of 3')
    await app.unroute('**/api/uploads')
    await app.locator('#wizard-outcome taro-button-core').first().click() // Retry
    await app.locator('#wizard-outcome[data-state="submitted"]').waitFor({ timeout: 30000 })
    await expect(photosOnServer(app, 'Fault Upload Store')).resolves.toBe(3)
    await context.close()
  })

  it('the page is reloaded between the uploads and the submission: it resumes and sends exactly one', async () => {
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-dao')
    // no connection for the photos while they are taken (issue 26: no check at capture), so the outbox uploads them
    await app.route('**/api/uploads', (route) => route.abort('connectionreset'))
    await primaryPosmToSummary(app, env.server.base, 'Fault Reload Store', 1, 820)
    await app.unroute('**/api/uploads')
    await app.route('**/api/promotions', (route) => (route.request().method() === 'POST' ? route.abort('connectionreset') : route.continue()))
    await app.locator('#wizard-submit').click()
    await app.getByText('Photos uploaded: 2 of 2').waitFor()
    await app.getByText('Last error: No connection to the server.', { exact: false }).waitFor()
    await app.unroute('**/api/promotions')
    await app.reload()
    // after the reload the outbox takes up where it was: the photos are not uploaded again
    await app.locator('#wizard-outcome[data-state="submitted"]').waitFor({ timeout: 30000 })
    await expect(photosOnServer(app, 'Fault Reload Store')).resolves.toBe(2)
    await context.close()
  })

  it('offline: the submission waits for the network and is sent when it returns', async () => {
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-dao')
    await primaryPosmToSummary(app, env.server.base, 'Fault Offline Store', 1, 840)
    await context.setOffline(true)
    await app.locator('#wizard-submit').click()
    await app.locator('#wizard-outcome[data-state="submitting"]').waitFor()
    await app.getByText('Waiting for the network').waitFor()
    expect(await outboxText(app)).toContain('Photos uploaded: 0 of 2')
    await context.setOffline(false)
    await app.locator('#wizard-outcome[data-state="submitted"]').waitFor({ timeout: 30000 })
    await expect(photosOnServer(app, 'Fault Offline Store')).resolves.toBe(2)
    await context.close()
  })
})
