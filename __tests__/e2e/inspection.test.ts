import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import { ref, verifyMode } from './flows'
import { consolePage, fill, openAppAs, phone, scan, startServerAndBrowserForFile, takePhoto } from './harness'
import { picture, png } from './pictures'

const env = startServerAndBrowserForFile()

/**
 * The demo promotions' photos are rows whose files the seed does not write: the photos of the promotion a task
 * inspects are written here as its deployment recorded them. Answers the bytes of each, by upload id.
 */
function deploymentPhotos(promotionId: string): Map<string, Buffer> {
  const db = new Database(path.join(env.server.dir, 'workspace.sqlite'), { readonly: true })
  try {
    const rows = db.prepare('SELECT id, stored_name FROM uploads WHERE promotion_id = ?').all(promotionId) as Array<{ id: string; stored_name: string }>
    const written = new Map<string, Buffer>()
    rows.forEach((row, i) => {
      const bytes = png(9100 + i)
      fs.writeFileSync(path.join(env.server.dir, 'uploads', row.stored_name), bytes)
      written.set(row.id, bytes)
    })
    return written
  } finally {
    db.close()
  }
}

/** Whether the image in `selector` has loaded (a decoded picture, not a broken one); a function, not a string (the page's CSP forbids eval). */
const loadedImage = (selector: string): boolean => {
  const img = document.querySelector(`${selector} img`) as HTMLImageElement | null
  return !!img && img.complete && img.naturalWidth > 0
}

describe('Conduct spot inspection in the browser preview against the local server', () => {
  it('a task with two spots, one present and one missing with feedback, payment verified, submitted, accepted in /console', async () => {
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-chen')

    // product list → Spot Inspection → Verification Tasks
    deploymentPhotos('prm-seed-laksa')
    await app.locator('#start-spot-inspection').click()
    const card = app.locator('[id^="task-"]', { hasText: 'Spots to inspect: 2' }).first()
    await card.waitFor()
    const taskId = ((await card.getAttribute('id')) ?? '').replace(/^task-/, '')
    await expect(card.textContent()).resolves.toContain('To do')
    await app.locator('#sort-distance').click()
    await card.locator('text=m from you').waitFor()
    await card.click()

    // 1. the store: open, the same store, a storefront photo taken now; the distance is shown
    await app.locator('#inspect-store').waitFor()
    // the storefront as recorded at deployment, beside the photo to take now (the inspector may open it)
    await expect(app.locator('#inspect-storefront-deployed').textContent()).resolves.toMatch(/^Storefront at deployment, /)
    await app.waitForFunction(loadedImage, '#inspect-storefront-deployed')
    await app.locator('#inspect-next').click()
    await expect(app.locator('#check-open-error').textContent()).resolves.toBe('Choose one.')
    await app.locator('#check-open-yes').click()
    await app.locator('#check-sameStore-yes').click()
    await takePhoto(app, '#inspect-storefront', picture(700))
    await app.locator('#inspect-distance').waitFor()
    await app.locator('#inspect-next').click()

    // 2. each spot: what was found, a photo, the code compared with the bound one; feedback where wrong
    await app.locator('#inspect-spots').waitFor()
    // each spot as photographed at deployment
    await app.waitForFunction(loadedImage, '#inspect-spot-0-deployed')
    await app.waitForFunction(loadedImage, '#inspect-spot-1-deployed')
    await app.locator('#inspect-spot-0-condition-PRESENT').click()
    await takePhoto(app, '#inspect-spot-0-photo', picture(701))
    await scan(app, '#inspect-spot-0-scan', 'https://marketing.alipayplus.example/mc/APMC0000000003')
    await expect(app.locator('#inspect-spot-0-mismatch').textContent()).resolves.toContain('APMC0000000003')
    await scan(app, '#inspect-spot-0-scan', 'https://marketing.alipayplus.example/mc/APMC0000000002')
    await app.locator('#inspect-spot-0-match').waitFor()
    await app.locator('#inspect-spot-1-condition-MISSING').click()
    await takePhoto(app, '#inspect-spot-1-photo', picture(702))
    await app.locator('#inspect-next').click()
    await expect(app.locator('#inspect-spot-1-feedback-error').textContent()).resolves.toBe('Describe what is wrong.')
    await fill(app, 'inspect-spot-1-feedback', 'The stand at the entrance is gone; the staff say it was removed last week.')
    await app.locator('#inspect-next').click()

    // 3. the payment, both modes; 4. summary and Submit
    await app.locator('#inspect-payment').waitFor()
    await verifyMode(app, 'MPM', ref(71), 703)
    await verifyMode(app, 'UPM', ref(72), 704)
    await app.locator('#inspect-next').click()
    await app.locator('#inspect-summary').waitFor()
    await expect(app.locator('#inspect-summary').textContent()).resolves.toContain('Missing')
    await app.locator('#inspect-submit').click()
    await app.locator('#inspect-outcome[data-state="submitted"]').waitFor()
    await expect(app.locator('#inspect-status').textContent()).resolves.toBe('Submitted')

    // the reviewer accepts it in /console
    const consoleTab = await consolePage(env.browser, env.server.base, 'alipay')
    await consoleTab.goto(`${env.server.base}/console/inspections/${taskId}`)
    await consoleTab.locator('#inspection-title').waitFor()
    await expect(consoleTab.locator('body').textContent()).resolves.toContain('The stand at the entrance is gone')
    await consoleTab.getByRole('button', { name: 'Accept inspection' }).click()
    await consoleTab.waitForLoadState()

    // shown as accepted in the app
    await app.goto(`${env.server.base}/#/pages/inspection/tasks/index`)
    await app.locator(`#task-status-${taskId}`, { hasText: 'Accepted' }).waitFor()
    await context.close()
  })
})
