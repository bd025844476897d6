/**
 * The compiled DingTalk build (dist/dd) verifies a promotion's payments through the fake Alipay+ (issue 25): the
 * server looks each reference up with the same Alipay+ client that talks to Alipay+ (signed inquiry, signed
 * answer checked); a payment still in process says "not finished yet" and keeps what was entered, and passes on
 * the next try; a payment Alipay+ does not know is shown as not found; a payment used for the other mode is refused.
 */
import { isoTimeWithZone } from '../../server/src/payments/signature'
import { FakeAlipayPlus, rsaKeyPair } from '../helpers/fake-alipayplus'
import { DIST, localServerForFile } from './local-server'
import { MiniVm } from './mini-vm'
import { camera, signInAsChen } from './walks'

const CLIENT_ID = 'WORKSPACE_VM'
const ours = rsaKeyPair()
const fake = new FakeAlipayPlus({ clientId: CLIENT_ID, clientPublicKey: ours.publicKeyPem })
beforeAll(async () => {
  await fake.start()
})
const server = localServerForFile(() => ({ payments: fake.serverPayments(ours) }))
afterAll(async () => {
  await fake.close()
})

const hasPhoto = (vm: MiniVm, field: string) => vm.byId(field)?.cn?.some((n) => n.cl === 'photo') ?? false

it('verifies both modes through Alipay+: in process, then verified; not found; a payment used twice refused', async () => {
  const vm = new MiniVm({
    dist: DIST,
    language: 'en',
    httpRequest: server.httpRequest,
    // a DingTalk client that adds the status and body to httpRequest's error 19 (many do; without them the app
    // shows its general "try again" message for the refusals answered 409/503)
    httpErrorDetails: true,
    uploadFile: server.uploadFile,
    location: { latitude: 1.3, longitude: 103.85, accuracy: 8 },
    chooseImage: camera(server.dir),
    scan: () => null,
  })
  await signInAsChen(vm)
  await vm.until(() => vm.byId('open-drafts') !== null, 'unlocked home')
  vm.tap(vm.byId('start-marketing-code'))
  await vm.until(() => vm.currentPage.route === 'pages/promotion/wizard/index' && vm.text().includes('Verify-Then-Deploy'), 'the wizard')
  vm.tap(vm.byId('wallet-ALIPAY'))
  await vm.until(() => vm.text().includes('Verify with Alipay'), 'the tool')
  // the payments are made in the store now, after the wizard was opened (the visit's start, which the app sends)
  const paid = isoTimeWithZone(new Date())
  fake.script('AP202612070000000301', { behaviour: 'success', paymentTime: paid, walletBrandName: 'Alipay' })
  fake.script('AP202612070000000302', { behaviour: 'in-process-then-success', paymentTime: paid, walletBrandName: 'Alipay' })

  // MPM: a payment Alipay+ does not know, then the real one
  vm.input(vm.byId('pay-MPM-reference'), 'AP202612079999999999')
  vm.tap(vm.byId('pay-MPM-photo'))
  await vm.until(() => hasPhoto(vm, 'pay-MPM-photo-field'), 'MPM photo')
  vm.tap(vm.byId('pay-MPM-verify'))
  await vm.until(() => vm.byId('pay-MPM-result') !== null, 'MPM answered')
  expect(vm.text()).toContain('No payment with this reference was found')
  vm.input(vm.byId('pay-MPM-reference'), 'AP202612070000000301')
  vm.tap(vm.byId('pay-MPM-verify'))
  await vm.until(() => vm.text().includes('✓ Verified'), 'MPM verified')

  // UPM: the MPM payment again is refused; then a payment still in process, verified a moment later
  vm.input(vm.byId('pay-UPM-reference'), 'AP202612070000000301')
  vm.tap(vm.byId('pay-UPM-photo'))
  await vm.until(() => hasPhoto(vm, 'pay-UPM-photo-field'), 'UPM photo')
  vm.tap(vm.byId('pay-UPM-verify'))
  await vm.until(() => vm.byId('pay-UPM-error') !== null, 'UPM refused')
  expect(vm.text()).toContain('This payment was used already')
  vm.input(vm.byId('pay-UPM-reference'), 'AP202612070000000302')
  vm.tap(vm.byId('pay-UPM-verify'))
  await vm.until(() => vm.text().includes('This payment is not finished yet'), 'UPM in process')
  // everything entered is kept: the reference and the photo
  expect(hasPhoto(vm, 'pay-UPM-photo-field')).toBe(true)
  vm.tap(vm.byId('pay-UPM-verify'))
  await vm.until(() => vm.byId('pay-UPM-result') !== null && vm.byId('pay-UPM-error') === null, 'UPM verified')
  expect(vm.text().match(/✓ Verified/g)).toHaveLength(2)

  // every lookup was a signed inquiry the fake accepted, answered with its own signature
  expect(fake.inquiries.map((i) => i.answered)).toEqual(['ORDER_NOT_EXIST', 'SUCCESS', 'PAYMENT_IN_PROCESS', 'SUCCESS'])
})
