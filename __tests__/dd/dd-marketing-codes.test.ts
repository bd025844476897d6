/**
 * The compiled DingTalk build against a server configured with its own Marketing Code format (as a production
 * server is: MARKETING_CODE_URL_PATTERNS, MARKETING_CODE_PATTERN), in Vietnamese (DingTalk's language): the
 * payment tool is preselected from the ISO's rule with the reason, the other tool is refused by the server with
 * everything entered kept; a scan that is not a Marketing Code says what it is, the example form of development
 * is no Marketing Code here, and a code as this server's format prints it is bound and submitted.
 */
import { DICTIONARIES } from '../../src/i18n/all'
import { DIST, localServerForFile } from './local-server'
import { MiniVm } from './mini-vm'
import { camera, fillStore } from './walks'

const vi = DICTIONARIES.vi
const FORMAT = { urlPatterns: ['https://qr.alipayplus.example.com/mc/{code}', 'https://qr.alipayplus.example.com/s?c={code}&*'], codePattern: 'MC[0-9A-F]{12}' }
const server = localServerForFile(() => ({ marketingCodes: FORMAT }))

const hasPhoto = (vm: MiniVm, field: string) => vm.byId(field)?.cn?.some((n) => n.cl === 'photo') ?? false
const chosen = (vm: MiniVm, tool: string) => (vm.byId(`payment-tool-choice-${tool}`)?.cl ?? '').includes('chip--on')

it('chooses the tool, is refused the other one keeping what was entered, and reads codes with the server’s format (in Vietnamese)', async () => {
  const scans: string[] = []
  const vm = new MiniVm({
    dist: DIST,
    language: 'vi-VN',
    httpRequest: server.httpRequest,
    uploadFile: server.uploadFile,
    location: { latitude: 1.3, longitude: 103.85, accuracy: 8 },
    chooseImage: camera(server.dir),
    scan: () => scans.shift() ?? null,
    // a DingTalk client that passes an HTTP error's status and body on (the server's refusal, WRONG_PAYMENT_TOOL)
    httpErrorDetails: true,
  })
  // signed in as Chen Wei (Lion City Payments, Verify-Then-Deploy)
  vm.launch()
  const hello = vi['home.greeting'].split('{name}')[0]
  await vm.until(() => vm.text().includes(hello), 'home')
  vm.tap(vm.byId('nav-me'))
  await vm.until(() => vm.currentPage.route === 'pages/me/index' && vm.byId('sign-out') !== null, 'Me')
  vm.authCode = `dev:staff-chen#${Math.random().toString(36).slice(2)}`
  vm.tap(vm.byId('sign-out'))
  await vm.until(
    () => vm.currentPage.route === 'pages/index/index' && vm.text().includes(vi['home.greeting'].replace('{name}', 'Chen Wei')),
    'home as Chen Wei',
  )
  await vm.until(() => vm.byId('open-drafts') !== null, 'unlocked home')

  vm.tap(vm.byId('start-marketing-code'))
  await vm.until(() => vm.currentPage.route === 'pages/promotion/wizard/index' && vm.byId('wallet-GCASH') !== null, 'the payment step')

  // a store with other wallets: Alipay+ Linker preselected, with the ISO's reason
  vm.tap(vm.byId('wallet-GCASH'))
  await vm.until(() => vm.byId('payment-tool-choice') !== null, 'the tool choice')
  expect(chosen(vm, 'ALIPAY_PLUS_LINKER')).toBe(true)
  expect(chosen(vm, 'ALIPAY')).toBe(false)
  expect(vm.text()).toContain(vi['payment.toolWhy.ALIPAY_PLUS_LINKER'])
  expect(vm.text()).toContain(vi['payment.linker.step2'])

  // the staff member chooses Alipay instead: told at once, and refused by the server with the reason
  vm.tap(vm.byId('payment-tool-choice-ALIPAY'))
  await vm.until(() => vm.byId('payment-tool-other') !== null, 'the other tool said')
  expect(chosen(vm, 'ALIPAY')).toBe(true)
  expect(vm.text()).toContain(vi['payment.toolOther'])
  vm.input(vm.byId('pay-MPM-reference'), 'AP202611250000000301')
  vm.tap(vm.byId('pay-MPM-photo'))
  await vm.until(() => hasPhoto(vm, 'pay-MPM-photo-field'), 'MPM photo')
  vm.tap(vm.byId('pay-MPM-verify'))
  await vm.until(() => vm.byId('pay-MPM-error') !== null, 'the refusal')
  expect(vm.text()).toContain(vi['error.WRONG_PAYMENT_TOOL'])
  expect(vm.text()).toContain(vi['payment.toolWhy.ALIPAY_PLUS_LINKER'])
  expect(vm.byId('pay-MPM-result')).toBeNull()
  // everything entered is kept: the photo is there, and the reference goes with the right tool as it was typed
  expect(hasPhoto(vm, 'pay-MPM-photo-field')).toBe(true)
  vm.tap(vm.byId('payment-tool-choice-ALIPAY_PLUS_LINKER'))
  await vm.until(() => vm.byId('pay-MPM-error') === null && vm.byId('payment-tool-other') === null, 'the refusal cleared')
  vm.tap(vm.byId('pay-MPM-verify'))
  await vm.until(() => vm.byId('pay-MPM-result') !== null, 'MPM verified')
  expect(vm.text()).toContain(vi['payment.passed'])
  vm.input(vm.byId('pay-UPM-reference'), 'AP202611250000000302')
  vm.tap(vm.byId('pay-UPM-photo'))
  await vm.until(() => hasPhoto(vm, 'pay-UPM-photo-field'), 'UPM photo')
  vm.tap(vm.byId('pay-UPM-verify'))
  await vm.until(() => vm.byId('pay-UPM-result') !== null, 'UPM verified')
  vm.tap(vm.byId('wizard-next'))
  await vm.until(() => vm.byId('step-store') !== null, 'store step')

  fillStore(vm, 'Phở VM')
  await vm.until(() => vm.byId('location-value') !== null, 'location')
  vm.tap(vm.byId('storefront-photo'))
  await vm.until(() => hasPhoto(vm, 'storefront-photo-field'), 'storefront photo')
  vm.tap(vm.byId('wizard-next'))
  await vm.until(() => vm.byId('step-spots') !== null, 'spots step')
  vm.tap(vm.byId('spot-0-position-CASHIER_COUNTER'))
  vm.tap(vm.byId('spot-0-photo'))
  await vm.until(() => hasPhoto(vm, 'spot-0-photo-field'), 'spot photo')

  // what a scan that is not a Marketing Code is, in the working language
  for (const [scanned, said] of [
    ['00020101021126330014A000000615000101061234565204581253034585802SG5910Kopi Stall6009Singapore6304B7E1', vi['error.CODE_IS_PAYMENT_QR']],
    ['https://kopi.example.com/menu', vi['error.CODE_IS_WEB_LINK']],
    // the development example form is not this server's format
    ['https://marketing.alipayplus.example/mc/APMC0000009101', vi['error.CODE_IS_WEB_LINK']],
    ['Bàn số 12', vi['error.CODE_IS_TEXT']],
  ]) {
    scans.push(scanned)
    vm.tap(vm.byId('spot-0-scan'))
    await vm.until(() => vm.byId('spot-0-code-error') !== null && vm.text().includes(said), `said: ${said}`)
    expect(vm.byId('spot-0-code')).toBeNull()
  }

  // a code as this server's format prints it (the host in capitals, as QR codes often print it)
  scans.push('HTTPS://QR.ALIPAYPLUS.EXAMPLE.COM/s?c=MC00000000A1B2&src=poster')
  vm.tap(vm.byId('spot-0-scan'))
  await vm.until(() => vm.byId('spot-0-code') !== null && vm.byId('spot-0-code-error') === null, 'the scanned code')
  expect(vm.text()).toContain('MC00000000A1B2')
  vm.tap(vm.byId('wizard-next'))
  await vm.until(() => vm.byId('step-merchant') !== null, 'merchant step')
  vm.input(vm.byId('merchant-contactName'), 'Nguyễn Văn An')
  vm.input(vm.byId('merchant-contactPhone'), '+65 9123 4567')
  vm.input(vm.byId('merchant-legalName'), 'Phở VM Pte. Ltd.')
  vm.input(vm.byId('merchant-acquirerMerchantId'), 'ACQ-0301')
  vm.tap(vm.byId('wizard-next'))
  await vm.until(() => vm.byId('step-summary') !== null, 'summary')
  vm.tap(vm.byId('wizard-submit'))
  await vm.until(() => vm.text().includes(vi['promotionStatus.PENDING_REVIEW']), 'the submission pending review', 15000)

  // the server bound the code as read with its format
  const saved = vm.storage.get('posm.session')
  const token = (typeof saved === 'string' ? (JSON.parse(saved) as { token: string }) : (saved as { token: string })).token
  const check = await server.httpRequest({
    url: `${server.base()}/api/marketing-codes/check`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    data: JSON.stringify({ code: 'https://qr.alipayplus.example.com/mc/MC00000000A1B2' }),
  })
  expect(check.status).toBe(409)
  expect(vm.errors).toEqual([])
})
