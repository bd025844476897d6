/**
 * The compiled DingTalk build (dist/dd) and an ISO's QR poster: DingTalk's scanner opens the association page
 * with `?iso=<id>` (the poster's link, see the README's QR posters), and the in-app scanner reads the same link;
 * either way the form shows the ISO by name, and a request with another ISO's email says which ISO the QR
 * named. Against the real local server (development mode, its seeded ISOs).
 */
import { ASSOCIATION_PAGE } from '../../packages/contract/api'
import { associationQrLink } from '../../packages/contract/rules/association'
import { DICTIONARIES } from '../../src/i18n/all'
import { DIST, localServerForFile } from './local-server'
import { MiniVm } from './mini-vm'

const server = localServerForFile()
const ISO_NAME = 'Lion City Payments Pte. Ltd.'
const link = associationQrLink({ miniAppId: '5000000000000000', corpId: 'ding-local-dev-corp', agentId: '1', isoId: 'iso-lioncity' }, ASSOCIATION_PAGE)

function scanned(language: 'en' | 'th') {
  return DICTIONARIES[language]['assoc.qr.iso'].split('{iso}').join(ISO_NAME)
}

describe('the compiled DingTalk build and the ISO’s QR poster', () => {
  it('opened by DingTalk’s scanner at the association page with ?iso=: the ISO by name, in the working language', async () => {
    const vm = new MiniVm({ dist: DIST, language: 'th-TH', httpRequest: server.httpRequest })
    vm.launch({}, `/${ASSOCIATION_PAGE}?iso=iso-lioncity`)
    await vm.until(() => vm.text().includes(scanned('th')), 'the scanned ISO’s name')
    expect(vm.errors).toEqual([])
  })

  it('the in-app scanner reads the poster’s link; another ISO’s email is refused naming the QR’s ISO', async () => {
    // the server's refusal (422 ISO_EMAIL_MISMATCH) is read from the failure: a client that adds the status and body to
    // dd.httpRequest's error 19, as dd-release-path models too (the documents do not promise them: src/platform/dd/README.md)
    const vm = new MiniVm({ dist: DIST, language: 'en-US', httpRequest: server.httpRequest, scan: () => link, httpErrorDetails: true })
    vm.launch()
    await vm.until(() => vm.text().includes('Hello, Aisyah Rahman'), 'home')
    vm.tap(vm.byId('open-association'))
    await vm.until(() => vm.currentPage.route === ASSOCIATION_PAGE && vm.byId('scan-iso-qr') !== null, 'the association form')
    vm.tap(vm.byId('scan-iso-qr'))
    await vm.until(() => vm.text().includes(scanned('en')), 'the scanned ISO’s name')
    vm.input(vm.byId('isoEmail'), 'partners@nusantara-ms.example')
    vm.input(vm.byId('name'), 'Aisyah Rahman')
    vm.input(vm.byId('phone'), '+65 8123 4567')
    await vm.settle()
    vm.tap(vm.byId('submit-association'))
    await vm.until(() => vm.byId('qr-mismatch') !== null, 'the mismatch message')
    expect(vm.text()).toContain(`The QR code you scanned is for ${ISO_NAME} Enter the ISO Email of ${ISO_NAME}, or scan`)
    expect(vm.errors).toEqual([])
  })
})
