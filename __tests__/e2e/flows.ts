/** Steps of the promotion wizard as a staff member does them in the browser preview. */
import type { Page } from 'playwright-core'
import { fill, takePhoto } from './harness'
import { picture } from './pictures'

export const code = (n: number) => `https://marketing.alipayplus.example/mc/APMC${String(n).padStart(10, '0')}`
export const ref = (n: number) => `AP2026112500${String(n).padStart(8, '0')}`

export async function startPromotion(app: Page, product: 'marketing-code' | 'primary-posm') {
  await app.locator(`#start-${product}`).click()
  await app.locator('#wizard-progress').waitFor()
}

export async function next(app: Page, expectedStep: string) {
  await app.locator('#wizard-next').click()
  await app.locator(`#step-${expectedStep}`).waitFor()
}

export async function verifyMode(app: Page, mode: 'MPM' | 'UPM', reference: string, photo: number) {
  await fill(app, `pay-${mode}-reference`, reference)
  await takePhoto(app, `#pay-${mode}-photo`, picture(photo))
  await app.locator(`#pay-${mode}-verify`).click()
  await app.locator(`#pay-${mode}-result`).waitFor()
}

export async function fillStore(app: Page, name: string, photo: number, wallets: string[] | null) {
  await fill(app, 'store-name', name)
  await fill(app, 'store-address', '12 Orchard Road, #01-02, Singapore 238826')
  await app.locator('#category-FOOD_BEVERAGE').click()
  if (wallets) for (const w of wallets) await app.locator(`#wallet-${w}`).click()
  await fill(app, 'store-openingTime', '00:00')
  await fill(app, 'store-closingTime', '24:00')
  await app.locator('#consent').click()
  await app.locator('#location-value').waitFor()
  await takePhoto(app, '#storefront-photo', picture(photo))
}

export async function fillMerchant(app: Page) {
  await fill(app, 'merchant-contactName', 'Tan Mei Ling')
  await fill(app, 'merchant-contactPhone', '+65 9123 4567')
  await fill(app, 'merchant-legalName', 'Mei Ling Kopi Pte. Ltd.')
  await fill(app, 'merchant-acquirerMerchantId', 'ACQ-7788-01')
}

export async function promotionsOf(app: Page): Promise<Array<{ id: string; status: string; store: { name: string } }>> {
  return app.evaluate(async () => {
    const saved = JSON.parse(localStorage.getItem('posm.session') ?? '{}') as { data?: { token: string }; token?: string }
    const token = saved.data?.token ?? saved.token
    const res = await fetch('/api/promotions', { headers: { Authorization: `Bearer ${token}` } })
    return ((await res.json()) as { promotions: Array<{ id: string; status: string; store: { name: string } }> }).promotions
  })
}

/** A Deploy-Then-Verify Primary POSM promotion filled in up to its summary (photos from `seed` on). */
export async function primaryPosmToSummary(app: Page, base: string, name: string, spots: number, seed: number) {
  await app.goto(`${base}/#/pages/index/index`)
  await startPromotion(app, 'primary-posm')
  await app.locator('#step-store').waitFor()
  await fillStore(app, name, seed, ['GCASH'])
  await next(app, 'spots')
  const positions = ['CASHIER_COUNTER', 'ENTRANCE', 'WALL']
  for (let i = 0; i < spots; i++) {
    if (i > 0) await app.locator('#add-spot').click()
    await app.locator(`#spot-${i}-position-${positions[i]}`).click()
    await takePhoto(app, `#spot-${i}-photo`, picture(seed + 1 + i))
    await app.locator(`#spot-${i}-material-STICKER`).click()
  }
  await next(app, 'merchant')
  await fillMerchant(app)
  await next(app, 'summary')
}

/**
 * A Deploy-Then-Verify Primary POSM promotion from Start Promotion to Pending review (submitted, then the
 * payment verified at once). Photos use seeds from `seed` on.
 */
export async function submitPrimaryPosm(app: Page, base: string, name: string, spots: number, seed: number) {
  await primaryPosmToSummary(app, base, name, spots, seed)
  await app.locator('#wizard-submit').click()
  await app.locator('#wizard-outcome[data-state="submitted"]').waitFor()
  await app.locator('#verify-now').click()
  await app.locator('#payment-tool').waitFor()
  await verifyMode(app, 'MPM', ref(seed * 10 + 1), seed + 50)
  await verifyMode(app, 'UPM', ref(seed * 10 + 2), seed + 51)
  await app.getByText('Pending review').first().waitFor()
}
