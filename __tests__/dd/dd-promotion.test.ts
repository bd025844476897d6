/**
 * The compiled DingTalk build walks one Verify-Then-Deploy promotion, with DingTalk's camera, scanner and
 * location faked by the host (the answers a DingTalk client gives), against the real local server.
 */
import { DIST, localServerForFile } from './local-server'
import { MiniVm } from './mini-vm'
import { camera, signInAsChen, walkSpotsToSummary, walkStoreStep } from './walks'

const server = localServerForFile()

/** What the pages passed through setData: photos must go by file path, never as data. */
let largestSetData = 0
const photoData: string[] = []
const photoSources: string[] = []
function watchSetData(route: string, json: string) {
  largestSetData = Math.max(largestSetData, Buffer.byteLength(json))
  // the photos shown: an Image's src (Taro's compiled attribute p3) is the photo's file path
  for (const img of json.matchAll(/"cl":"photo__img","p3":"([^"]*)"/g)) photoSources.push(img[1])
  // a PNG or JPEG as base64 or a data: URL
  const m = /data:image|iVBORw0KGgo|\/9j\/4/.exec(json)
  if (m) photoData.push(`${route}: ${json.slice(Math.max(0, m.index - 60), m.index + 60)}`)
}

afterAll(() => {
  // both walks photograph storefronts, spots and payment screens
  expect(photoData).toEqual([])
  expect(photoSources.length).toBeGreaterThan(5)
  expect(photoSources.filter((src) => !/^(\/|https?:\/\/)/.test(src) || src.length > 300)).toEqual([])
  expect(largestSetData).toBeLessThan(40 * 1024)
})

function deviceVm(scans: string[]) {
  return new MiniVm({
    onSetData: watchSetData,
    dist: DIST,
    language: 'en',
    httpRequest: server.httpRequest,
    uploadFile: server.uploadFile,
    location: { latitude: 1.3, longitude: 103.85, accuracy: 8 },
    chooseImage: camera(server.dir),
    scan: () => scans.shift() ?? null,
  })
}

it('walks a Verify-Then-Deploy Marketing Code promotion to Pending review', async () => {
  const scans: string[] = []
  const vm = deviceVm(scans)
  await signInAsChen(vm)
  await vm.until(() => vm.byId('open-drafts') !== null, 'unlocked home')

  vm.tap(vm.byId('start-marketing-code'))
  await vm.until(() => vm.currentPage.route === 'pages/promotion/wizard/index' && vm.text().includes('Verify-Then-Deploy'), 'the wizard')

  // payment: wallets, then both modes with reference and photo
  vm.tap(vm.byId('wallet-ALIPAY'))
  await vm.until(() => vm.text().includes('Verify with Alipay'), 'the tool')
  for (const [mode, reference] of [
    ['MPM', 'AP202611250000000101'],
    ['UPM', 'AP202611250000000102'],
  ] as const) {
    vm.input(vm.byId(`pay-${mode}-reference`), reference)
    vm.tap(vm.byId(`pay-${mode}-photo`))
    await vm.until(() => vm.byId(`pay-${mode}-photo-field`)?.cn?.some((n) => n.cl === 'photo') ?? false, `${mode} photo`)
    vm.tap(vm.byId(`pay-${mode}-verify`))
    await vm.until(() => vm.byId(`pay-${mode}-result`) !== null, `${mode} verified`)
  }
  expect(vm.text()).not.toContain('Not verified')
  vm.tap(vm.byId('wizard-next'))
  await vm.until(() => vm.byId('step-store') !== null, 'store step')

  await walkStoreStep(vm, 'Kopi VM')
  await walkSpotsToSummary(vm, scans, 'APMC0000009001')
  vm.tap(vm.byId('wizard-submit'))
  await vm.until(() => vm.text().includes('Pending review'), 'the submission pending review', 15000)

  expect(
    vm.calls.filter((c) => c.api === 'chooseImage').every((c) => JSON.stringify((c.options as { sourceType: string[] }).sourceType) === '["camera"]'),
  ).toBe(true)
  expect(vm.calls.filter((c) => c.api === 'uploadFile').every((c) => (c.options as { fileType: string }).fileType === 'image')).toBe(true)
  expect(vm.calls.find((c) => c.api === 'getLocation')?.options).toMatchObject({ useCache: false })
  expect(vm.errors).toEqual([])
})

it('opens Verification Tasks and completes one task', async () => {
  const scans: string[] = []
  const vm = deviceVm(scans)
  await signInAsChen(vm)
  vm.tap(vm.byId('start-spot-inspection'))
  await vm.until(() => vm.currentPage.route === 'pages/inspection/tasks/index' && vm.withIdPrefix('task-').length > 0, 'Verification Tasks')
  const task = vm.withIdPrefix('task-').find((t) => t.text.includes('Spots to inspect: 1') && t.text.includes('To do'))
  expect(task).toBeDefined()
  vm.tap(task?.node ?? null)
  await vm.until(() => vm.byId('inspect-store') !== null, 'the store check')

  vm.tap(vm.byId('check-open-yes'))
  vm.tap(vm.byId('check-sameStore-yes'))
  vm.tap(vm.byId('inspect-storefront'))
  await vm.until(() => vm.byId('inspect-storefront-field')?.cn?.some((n) => n.cl === 'photo') ?? false, 'storefront photo')
  vm.tap(vm.byId('inspect-next'))
  await vm.until(() => vm.byId('inspect-spots') !== null, 'the spots')

  vm.tap(vm.byId('inspect-spot-0-condition-PRESENT'))
  vm.tap(vm.byId('inspect-spot-0-photo'))
  await vm.until(() => vm.byId('inspect-spot-0-photo-field')?.cn?.some((n) => n.cl === 'photo') ?? false, 'spot photo')
  scans.push('https://marketing.alipayplus.example/mc/APMC0000000001')
  vm.tap(vm.byId('inspect-spot-0-scan'))
  await vm.until(() => vm.byId('inspect-spot-0-match') !== null, 'the code compared')
  vm.tap(vm.byId('inspect-next'))
  await vm.until(() => vm.byId('inspect-payment') !== null, 'the payment')

  for (const [mode, reference] of [
    ['MPM', 'AP202611250000000201'],
    ['UPM', 'AP202611250000000202'],
  ] as const) {
    vm.input(vm.byId(`pay-${mode}-reference`), reference)
    vm.tap(vm.byId(`pay-${mode}-photo`))
    await vm.until(() => vm.byId(`pay-${mode}-photo-field`)?.cn?.some((n) => n.cl === 'photo') ?? false, `${mode} photo`)
    vm.tap(vm.byId(`pay-${mode}-verify`))
    await vm.until(() => vm.byId(`pay-${mode}-result`) !== null, `${mode} verified`)
  }
  vm.tap(vm.byId('inspect-next'))
  await vm.until(() => vm.byId('inspect-summary') !== null, 'summary')
  vm.tap(vm.byId('inspect-submit'))
  await vm.until(() => vm.byId('inspect-outcome') !== null && vm.text().includes('Submitted'), 'the submitted inspection', 15000)
  expect(vm.errors).toEqual([])
})
