/**
 * Walks of the compiled DingTalk build shared by its tests: signing in as Chen Wei (Lion City Payments,
 * Verify-Then-Deploy) and a Marketing Code promotion from its first step to the summary.
 */
import fs from 'node:fs'
import path from 'node:path'
import { png } from '../e2e/pictures'
import type { MiniVm } from './mini-vm'

/** Signs in as Chen Wei with a development DingTalk auth code (the seeded Aisyah Rahman signs in first). */
export async function signInAsChen(vm: MiniVm) {
  vm.launch()
  await vm.until(() => vm.text().includes('Hello,'), 'home')
  vm.tap(vm.byId('nav-me'))
  await vm.until(() => vm.currentPage.route === 'pages/me/index' && vm.byId('sign-out') !== null, 'Me')
  vm.authCode = `dev:staff-chen#${Math.random().toString(36).slice(2)}`
  vm.tap(vm.byId('sign-out'))
  await vm.until(() => vm.currentPage.route === 'pages/index/index' && vm.text().includes('Hello, Chen Wei'), 'home as Chen Wei')
}

/** A camera that writes a new picture under `dir` for every shot (DingTalk hands it over as a temporary file). */
export function camera(dir: string): () => string[] {
  let photo = 0
  return () => {
    const file = path.join(dir, `camera-${Date.now()}-${++photo}.png`)
    fs.writeFileSync(file, png(500 + Math.floor(Math.random() * 100000)))
    return [file]
  }
}

const hasPhoto = (vm: MiniVm, field: string) => vm.byId(field)?.cn?.some((n) => n.cl === 'photo') ?? false

/** From home: a Marketing Code promotion's payment step, both modes verified, then on to the store step. */
export async function walkToStoreStep(vm: MiniVm, references: [string, string]) {
  await vm.until(() => vm.byId('open-drafts') !== null, 'unlocked home')
  vm.tap(vm.byId('start-marketing-code'))
  await vm.until(() => vm.currentPage.route === 'pages/promotion/wizard/index' && vm.text().includes('Verify-Then-Deploy'), 'the wizard')
  vm.tap(vm.byId('wallet-ALIPAY'))
  await vm.until(() => vm.text().includes('Verify with Alipay'), 'the tool')
  for (const [i, mode] of (['MPM', 'UPM'] as const).entries()) {
    vm.input(vm.byId(`pay-${mode}-reference`), references[i])
    vm.tap(vm.byId(`pay-${mode}-photo`))
    await vm.until(() => hasPhoto(vm, `pay-${mode}-photo-field`), `${mode} photo`)
    vm.tap(vm.byId(`pay-${mode}-verify`))
    await vm.until(() => vm.byId(`pay-${mode}-result`) !== null, `${mode} verified`)
  }
  vm.tap(vm.byId('wizard-next'))
  await vm.until(() => vm.byId('step-store') !== null, 'store step')
}

/** The store step's fields (the location comes by itself), without its photo. */
export function fillStore(vm: MiniVm, name: string) {
  vm.input(vm.byId('store-name'), name)
  vm.input(vm.byId('store-address'), '1 Test Street, Singapore 000001')
  vm.tap(vm.byId('category-RETAIL'))
  vm.input(vm.byId('store-openingTime'), '00:00')
  vm.input(vm.byId('store-closingTime'), '24:00')
  vm.tap(vm.byId('consent'))
}

/** From the store step to the spots step: the store filled in and photographed. */
export async function walkStoreStep(vm: MiniVm, name: string) {
  fillStore(vm, name)
  await vm.until(() => vm.byId('location-value') !== null, 'location')
  vm.tap(vm.byId('storefront-photo'))
  await vm.until(() => hasPhoto(vm, 'storefront-photo-field'), 'storefront photo')
  vm.tap(vm.byId('wizard-next'))
  await vm.until(() => vm.byId('step-spots') !== null, 'spots step')
}

/** From the spots step to the summary: one spot photographed and its code scanned (`scans` feeds dd.scan). */
export async function walkSpotsToSummary(vm: MiniVm, scans: string[], code: string) {
  vm.tap(vm.byId('spot-0-position-CASHIER_COUNTER'))
  vm.tap(vm.byId('spot-0-photo'))
  await vm.until(() => hasPhoto(vm, 'spot-0-photo-field'), 'spot photo')
  scans.push(`https://marketing.alipayplus.example/mc/${code}`)
  vm.tap(vm.byId('spot-0-scan'))
  await vm.until(() => vm.text().includes(code), 'the scanned code')
  vm.tap(vm.byId('wizard-next'))
  await vm.until(() => vm.byId('step-merchant') !== null, 'merchant step')
  vm.input(vm.byId('merchant-contactName'), 'Lim Ah Kow')
  vm.input(vm.byId('merchant-contactPhone'), '+65 9123 4567')
  vm.input(vm.byId('merchant-legalName'), 'Kopi VM Pte. Ltd.')
  vm.input(vm.byId('merchant-acquirerMerchantId'), 'ACQ-0001')
  vm.tap(vm.byId('wizard-next'))
  await vm.until(() => vm.byId('step-summary') !== null, 'summary')
}
