/**
 * The deployment method agreed between an ISO and its regional coordinator, in the browser (issue 23, item 4):
 * Start Promotion stays locked, with the reason, until the ISO's reviewer has proposed a method and the
 * coordinator has agreed it in /console; then a change of the agreed method reaches a staff member's open
 * draft, which is shown what changed and continues under the new method without losing anything.
 */
import Database from 'better-sqlite3'
import path from 'node:path'
import { next, primaryPosmToSummary, promotionsOf, ref, verifyMode } from './flows'
import { consolePage, openAppAs, phone, startServerAndBrowserForFile } from './harness'

const env = startServerAndBrowserForFile()

/** The ISO as production starts one: no method agreed yet (development seeds its demo ISOs agreed). */
function forgetAgreement(isoId: string) {
  const db = new Database(path.join(env.server.dir, 'workspace.sqlite'))
  try {
    db.prepare('UPDATE isos SET method_agreed_at = NULL WHERE id = ?').run(isoId)
  } finally {
    db.close()
  }
}

describe('the deployment method is agreed before any promotion', () => {
  it('locks Start Promotion with the reason until the coordinator agrees the ISO’s proposal, then unlocks it', async () => {
    forgetAgreement('iso-lioncity')
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-chen')
    const notAgreed = 'Start Promotion is locked: your ISO has not agreed a deployment method with the Alipay+ regional coordinator yet.'
    await expect(app.locator('#method-lock-reason').textContent()).resolves.toBe(notAgreed)
    await expect(app.locator('#lock-reason-marketing-code').textContent()).resolves.toBe(notAgreed)
    await expect(app.locator('#product-marketing-code .badge--locked').textContent()).resolves.toBe('Locked')
    await expect(app.locator('#start-marketing-code').getAttribute('aria-disabled')).resolves.toBe('true')
    // a tap that reaches the disabled button anyway starts nothing
    await app.locator('#start-primary-posm').dispatchEvent('click')
    await new Promise((r) => setTimeout(r, 300))
    await expect(app.locator('#wizard-progress').count()).resolves.toBe(0)

    // the ISO's reviewer proposes Deploy-Then-Verify
    const reviewer = await consolePage(env.browser, env.server.base, 'lioncity')
    await reviewer.goto(`${env.server.base}/console/method`)
    await reviewer.locator('#propose-iso-lioncity').selectOption('DEPLOY_THEN_VERIFY')
    await reviewer.getByRole('button', { name: 'Propose to the coordinator' }).click()
    await expect(reviewer.locator('.notice').textContent()).resolves.toContain('Proposed Deploy-Then-Verify for Lion City Payments Pte. Ltd.')

    // (the page shows what it knew, then what the server says)
    await app.reload()
    await app
      .locator('#method-lock-reason', {
        hasText: 'Start Promotion is locked: your ISO proposed Deploy-Then-Verify, and the Alipay+ regional coordinator has not agreed it yet.',
      })
      .waitFor()
    // in the working language
    await app.goto(`${env.server.base}/#/pages/language/index`)
    await app.locator('#lang-ja').click()
    await app.goto(`${env.server.base}/#/pages/index/index`)
    await app.locator('#method-lock-reason', { hasText: '地域コーディネーター' }).waitFor()
    await app.goto(`${env.server.base}/#/pages/language/index`)
    await app.locator('#lang-en').click()

    // the coordinator of the region agrees
    const coordinator = await consolePage(env.browser, env.server.base, 'coordinator')
    await coordinator.goto(`${env.server.base}/console/method`)
    await coordinator.locator('#iso-iso-lioncity').getByRole('button', { name: 'Agree to Deploy-Then-Verify' }).click()
    await expect(coordinator.locator('.notice').textContent()).resolves.toContain('Agreed: Lion City Payments Pte. Ltd. follows Deploy-Then-Verify.')

    await app.goto(`${env.server.base}/#/pages/index/index`)
    await app.reload()
    await app.locator('#deployment-method', { hasText: 'Your ISO follows Deploy-Then-Verify.' }).waitFor()
    await expect(app.locator('#method-lock-reason').count()).resolves.toBe(0)
    await expect(app.locator('#start-marketing-code').getAttribute('aria-disabled')).resolves.not.toBe('true')
    await app.locator('#start-marketing-code').click()
    await app.locator('#step-store').waitFor()
    await expect(app.locator('#wizard-method').textContent()).resolves.toContain('Deploy-Then-Verify')
    await context.close()
  })

  it('a change of the agreed method with an open draft: refused after the grace period with the way forward, then submitted under the new method with everything kept', async () => {
    const context = await phone(env.browser)
    const app = await context.newPage()
    await openAppAs(app, env.server.base, 'staff-dao') // Nusantara: Deploy-Then-Verify
    await primaryPosmToSummary(app, env.server.base, 'Warung Sari Rasa', 1, 301)

    // Nusantara proposes Verify-Then-Deploy; until agreed, Deploy-Then-Verify stays in force
    const reviewer = await consolePage(env.browser, env.server.base, 'nusantara')
    await reviewer.goto(`${env.server.base}/console/method`)
    await reviewer.locator('#propose-iso-nusantara').selectOption('VERIFY_THEN_DEPLOY')
    await reviewer.getByRole('button', { name: 'Propose to the coordinator' }).click()
    await app.goto(`${env.server.base}/#/pages/index/index`)
    await app
      .locator('#method-change-pending', {
        hasText: 'Your ISO proposed changing to Verify-Then-Deploy. Until the Alipay+ regional coordinator agrees, Deploy-Then-Verify stays in force.',
      })
      .waitFor()
    const coordinator = await consolePage(env.browser, env.server.base, 'coordinator')
    await coordinator.goto(`${env.server.base}/console/method`)
    await coordinator.locator('#iso-iso-nusantara').getByRole('button', { name: 'Agree to Verify-Then-Deploy' }).click()
    await coordinator.locator('.notice').waitFor()

    // the draft, in the list and in the wizard: what changed, and the way forward
    await app.goto(`${env.server.base}/#/pages/promotion/drafts/index`)
    await expect(app.locator('[id^="draft-method-"]').textContent()).resolves.toBe("Started under Deploy-Then-Verify: your ISO's method has changed since")
    await app.locator('[id^="draft-resume-"]').click()
    await app.locator('#method-changed').waitFor()
    await expect(app.locator('#method-changed').textContent()).resolves.toContain('You can still submit it as it is until')

    // eight days later (the server's development clock) the grace period is over: the submission is refused, not lost
    const admin = await consolePage(env.browser, env.server.base, 'console')
    await admin.goto(`${env.server.base}/console/clock`)
    for (let day = 0; day < 8; day++) await admin.getByRole('button', { name: 'Advance one day' }).click()
    await app.locator('#wizard-submit').click()
    await app.locator('#wizard-outcome[data-state="refused"]').waitFor()
    await expect(app.locator('#wizard-outcome [id^="outbox-error-"]').textContent()).resolves.toContain(
      "Your ISO's deployment method has changed. Continue this promotion under the new method: everything you entered is kept.",
    )
    await app.locator('#wizard-outcome [id^="outbox-edit-"]').click()
    await app.locator('#method-continue').click()

    // the payment step first, then everything as it was typed and photographed
    await app.locator('#payment-tool').waitFor()
    await expect(app.locator('#wizard-progress').textContent()).resolves.toContain('Step 1 of 5')
    await expect(app.locator('#wizard-method').textContent()).resolves.toContain('Verify-Then-Deploy')
    await expect(app.locator('#method-changed').count()).resolves.toBe(0)
    await app.locator('#wallet-GCASH').waitFor()
    await verifyMode(app, 'MPM', ref(3011), 311)
    await verifyMode(app, 'UPM', ref(3012), 312)
    await next(app, 'store')
    await expect(app.locator('#store-name input').inputValue()).resolves.toBe('Warung Sari Rasa')
    await next(app, 'spots')
    await next(app, 'merchant')
    await next(app, 'summary')
    await app.locator('#wizard-submit').click()
    await app.locator('#wizard-outcome[data-state="submitted"]').waitFor()
    const mine = (await promotionsOf(app)).find((p) => p.store.name === 'Warung Sari Rasa')
    expect(mine).toMatchObject({ status: 'PENDING_REVIEW' })
    await context.close()
  })
})
