import type { Page } from 'playwright-core'
import { next, promotionsOf, submitPrimaryPosm } from './flows'
import { consolePage, openAppAs, phone, startServerAndBrowserForFile, takePhoto } from './harness'
import { picture } from './pictures'

const env = startServerAndBrowserForFile()

/** The reviewer's page of a promotion in /console. */
async function reviewPage(consoleTab: Page, id: string) {
  await consoleTab.goto(`${env.server.base}/console/promotions/${id}`)
  await consoleTab.locator('#promotion-title').waitFor()
}

async function decide(consoleTab: Page, button: string, scope?: string, reason?: string) {
  const area = scope ? consoleTab.locator(scope) : consoleTab.locator('body')
  if (reason) await area.getByLabel('Reason').first().fill(reason)
  await area.getByRole('button', { name: button }).first().click()
  await consoleTab.waitForLoadState()
}

/** Waits for the detail's status (the page shows what it knows, then what the server says). */
async function status(app: Page, text: string) {
  await app.locator('#detail-status', { hasText: new RegExp(`^${text}$`) }).waitFor()
}

async function openDetail(app: Page, id: string) {
  await app.goto(`${env.server.base}/#/pages/results/detail/index?id=${id}`)
  await app.locator('#detail-store').waitFor()
}

describe('View review results in the browser preview against the local server', () => {
  it('rejection, Modify and resubmit, approval, eligible the next day; another rejection appealed and accepted', async () => {
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-dao')
    await submitPrimaryPosm(app, env.server.base, 'Kedai Satu', 2, 300)
    await submitPrimaryPosm(app, env.server.base, 'Kedai Dua', 1, 400)
    const mine = await promotionsOf(app)
    const a = mine.find((p) => p.store.name === 'Kedai Satu')!
    const b = mine.find((p) => p.store.name === 'Kedai Dua')!

    // today's work is listed, not yet counted
    await app.goto(`${env.server.base}/#/pages/results/index`)
    await app.locator('#as-of').waitFor()
    await expect(app.locator('#as-of').textContent()).resolves.toContain('one-day delay')
    await expect(app.locator('#not-yet-counted').textContent()).resolves.toContain('2 submitted since then')
    await expect(app.locator('#stats-PRIMARY_POSM-promoted').textContent()).resolves.toContain('0')
    await app.locator(`#result-${a.id}`).waitFor()

    // the reviewer approves A's store and first spot, rejects its second spot; rejects B's store
    const consoleTab = await consolePage(env.browser, env.server.base, 'alipay')
    await reviewPage(consoleTab, a.id)
    await decide(consoleTab, 'Approve store')
    await decide(consoleTab, 'Approve spot', 'article[data-spot-index="0"]')
    await decide(consoleTab, 'Reject spot', 'article[data-spot-index="1"]', 'The sticker cannot be seen from the counter.')
    await reviewPage(consoleTab, b.id)
    await decide(consoleTab, 'Reject store', undefined, 'The storefront photo is blurry.')
    await decide(consoleTab, 'Approve spot', 'article[data-spot-index="0"]')

    // the staff member sees the reason, and Modify opens the wizard on a copy with the rejected part marked
    await openDetail(app, a.id)
    await status(app, 'Rejected')
    await app.locator('#spot-reason-1').waitFor()
    await expect(app.locator('#spot-reason-1').textContent()).resolves.toBe('Reviewer’s reason: The sticker cannot be seen from the counter.')
    await expect(app.locator('#eligibility').textContent()).resolves.toContain('Waiting for Alipay+ to approve every deployment spot.')
    await expect(app.locator('#detail-appeal').count()).resolves.toBe(1)
    await app.locator('#detail-modify').click()
    await app.locator('#modify-banner').waitFor()
    await expect(app.locator('#store-name input').inputValue()).resolves.toBe('Kedai Satu')
    await next(app, 'spots')
    await expect(app.locator('#spot-1-rejection').textContent()).resolves.toContain('The sticker cannot be seen from the counter.')
    await takePhoto(app, '#spot-1-photo', picture(390))
    await next(app, 'merchant')
    await next(app, 'summary')
    await app.locator('#wizard-submit').click()
    await app.locator('#wizard-outcome[data-state="submitted"]').waitFor()
    await openDetail(app, a.id)
    await status(app, 'Pending review')

    // approved; eligible once the day has passed
    await reviewPage(consoleTab, a.id)
    await decide(consoleTab, 'Approve spot', 'article[data-spot-index="1"]')
    await openDetail(app, a.id)
    await status(app, 'Approved')
    await app.locator('#eligibility', { hasText: 'Eligible' }).waitFor()
    await consoleTab.goto(`${env.server.base}/console/clock`)
    await consoleTab.getByRole('button', { name: 'Advance one day' }).click()
    await consoleTab.waitForLoadState()
    await app.goto(`${env.server.base}/#/pages/results/index`)
    await app.locator('#as-of').waitFor()
    // the page shows the figures it had until the refresh (on show) answers
    await app.locator('#stats-PRIMARY_POSM-promoted', { hasText: '2' }).waitFor({ timeout: 10000 })
    await expect(app.locator('#stats-PRIMARY_POSM-promoted').textContent()).resolves.toContain('2')
    await expect(app.locator('#stats-PRIMARY_POSM-eligible').textContent()).resolves.toContain('Eligible for the service fee: 1')

    // B: Appeal (the submission stays as it is); no second appeal while it is open; accepted in /console
    await openDetail(app, b.id)
    await app.locator('#store-reason').waitFor()
    await expect(app.locator('#store-reason').textContent()).resolves.toContain('The storefront photo is blurry.')
    await app.locator('#detail-appeal').click()
    await app.locator('#appeal-reason').waitFor()
    await app.locator('#appeal-reason textarea').fill('Too short')
    await app.locator('#appeal-submit').click()
    await expect(app.locator('#appeal-reason-error').textContent()).resolves.toBe('Write at least 10 characters.')
    await app.locator('#appeal-reason textarea').fill('The storefront is clearly visible in the second half of the photo; please look again.')
    await app.locator('#appeal-submit').click()
    await app.locator('#detail-store').waitFor()
    await app.waitForTimeout(500)
    await openDetail(app, b.id)
    await status(app, 'Appealed')
    await expect(app.locator('#detail-appeal').count()).resolves.toBe(0)
    await reviewPage(consoleTab, b.id)
    await decide(consoleTab, 'Accept appeal')
    await openDetail(app, b.id)
    await status(app, 'Approved')
    await app.locator('#detail-appeals', { hasText: 'Accepted' }).waitFor()
    await context.close()
  })
})
