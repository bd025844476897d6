/**
 * Issue 25, items 3 and 5 in the app's stores: the payment tool chosen by the staff member (preselected from the
 * ISO's rule, kept in the draft, refused by the server with everything entered kept), and scans read with the
 * Marketing Code format the session brought from the server (kept with the saved session).
 */
import { RootStore } from '../../src/stores/root-store'
import { SESSION_STORAGE_KEY } from '../../src/stores/session-store'
import { promotionWizard } from '../../src/stores/wizard-store'
import { json } from '../helpers/fake-platform'
import { profile, session } from '../helpers/fixtures'
import { config, deviceRoot, fakeServer, fillStore, labels, PASSING_REF, promotionRoot, startWizard } from '../helpers/promotion'

const wrongTool = () => json(422, { error: { code: 'WRONG_PAYMENT_TOOL', message: 'The store supports only Alipay…', fields: { tool: 'WRONG_PAYMENT_TOOL' } } })

describe('the payment tool', () => {
  it('is preselected from the ISO’s rule for the wallets ticked, and follows them until chosen', async () => {
    const env = await promotionRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const wizard = startWizard(env)
    expect(wizard.payment.tool).toBeNull()
    wizard.toggleWallet('ALIPAY')
    expect([wizard.payment.ruleTool, wizard.payment.tool]).toEqual(['ALIPAY', 'ALIPAY'])
    wizard.toggleWallet('GCASH')
    expect([wizard.payment.ruleTool, wizard.payment.tool]).toEqual(['ALIPAY_PLUS_LINKER', 'ALIPAY_PLUS_LINKER'])
  })

  it('is the staff member’s choice, kept in the draft (also after a restart); new wallets propose the rule’s tool again', async () => {
    const env = await promotionRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const wizard = startWizard(env)
    wizard.toggleWallet('GCASH')
    wizard.payment.chooseTool('ALIPAY')
    expect([wizard.payment.ruleTool, wizard.payment.tool, wizard.draft.paymentTool]).toEqual(['ALIPAY_PLUS_LINKER', 'ALIPAY', 'ALIPAY'])

    const again = new RootStore(env.platform, config, { retryDelaysMs: [] })
    const resumed = promotionWizard(again, wizard.draft.id)
    expect(resumed?.payment.tool).toBe('ALIPAY')

    wizard.toggleWallet('ALIPAYHK')
    expect([wizard.payment.tool, wizard.draft.paymentTool]).toEqual(['ALIPAY_PLUS_LINKER', null])
  })

  it('the other tool refused by the server: said at the tool and the mode, the reference and photo kept; the right tool then passes', async () => {
    const env = await promotionRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const wizard = startWizard(env)
    wizard.toggleWallet('ALIPAY')
    wizard.payment.chooseTool('ALIPAY_PLUS_LINKER')
    wizard.payment.setReference('MPM', PASSING_REF)
    await wizard.payment.takePhoto('MPM', 'Payment result')
    const photo = wizard.payment.record('MPM').photo
    env.server.once('POST /api/payment-verifications', wrongTool)
    expect(await wizard.payment.verify('MPM')).toBe(false)
    expect(env.server.verificationBodies[0]).toMatchObject({ tool: 'ALIPAY_PLUS_LINKER', reference: PASSING_REF, wallets: ['ALIPAY'] })
    expect([wizard.payment.toolError, wizard.payment.errors.MPM]).toEqual(['WRONG_PAYMENT_TOOL', { _: 'WRONG_PAYMENT_TOOL' }])
    expect(wizard.payment.record('MPM')).toMatchObject({ reference: PASSING_REF, photo, result: null })

    wizard.payment.chooseTool('ALIPAY')
    expect([wizard.payment.toolError, wizard.payment.errors.MPM]).toEqual([null, {}])
    expect(await wizard.payment.verify('MPM')).toBe(true)
    expect(env.server.verificationBodies[1]).toMatchObject({ tool: 'ALIPAY', reference: PASSING_REF })
    expect(wizard.payment.record('MPM').result).toMatchObject({ status: 'PASSED', tool: 'ALIPAY' })
  })

  it('Deploy-Then-Verify (a submitted promotion): the choice is kept in memory', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    env.server.promotions.set('c1', { id: 'pr-1', store: { wallets: ['ALIPAY'] } } as never)
    await env.root.promotions.load()
    const verifier = env.root.promotions.verifierFor('pr-1')
    expect(verifier.tool).toBe('ALIPAY')
    verifier.chooseTool('ALIPAY_PLUS_LINKER')
    expect([verifier.ruleTool, verifier.tool]).toEqual(['ALIPAY', 'ALIPAY_PLUS_LINKER'])
  })
})

describe('Marketing Codes read with the format the session brought', () => {
  const FORMAT = { urlPatterns: ['https://qr.alipayplus.example.com/mc/{code}'], codePattern: 'MC[0-9A-F]{12}' }

  async function signedInWith(format: typeof FORMAT) {
    const { server, routes, upload } = fakeServer({ method: 'DEPLOY_THEN_VERIFY' })
    const signedIn = session(
      profile({ status: 'associated', iso: { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'DEPLOY_THEN_VERIFY' } }),
    )
    server.once('POST /api/auth/dev', () => json(200, { ...signedIn, marketingCodes: format }))
    const device = deviceRoot(routes, upload, { photoPrefix: 'p' })
    await device.root.session.devSignIn('staff-aisyah')
    await device.root.workspace.load()
    return { ...device, server }
  }

  it('a code of the server’s format is bound; the development example form is a web link there', async () => {
    const env = await signedInWith(FORMAT)
    expect(env.root.session.marketingCodes).toEqual(FORMAT)
    const wizard = startWizard(env)
    await fillStore(wizard)
    expect(wizard.next()).toBe(true)
    env.platform.scanner.scan.mockResolvedValueOnce('https://marketing.alipayplus.example/mc/APMC0000000001')
    await wizard.scanSpotCode(0, labels)
    expect([wizard.fieldError('spots.0.marketingCode'), wizard.draft.spots[0].marketingCode]).toEqual(['CODE_IS_WEB_LINK', ''])
    env.platform.scanner.scan.mockResolvedValueOnce('https://qr.alipayplus.example.com/mc/MC00000000ABCD')
    await wizard.scanSpotCode(0, labels)
    expect([wizard.fieldError('spots.0.marketingCode'), wizard.draft.spots[0].marketingCode]).toEqual([null, 'MC00000000ABCD'])
    expect(env.server.codeChecks).toEqual(['MC00000000ABCD'])
  })

  it('the server’s word on what a scan is wins when it refuses a code the app read (its field `code`)', async () => {
    const env = await signedInWith(FORMAT)
    const wizard = startWizard(env)
    await fillStore(wizard)
    expect(wizard.next()).toBe(true)
    env.server.once('POST /api/marketing-codes/check', () =>
      json(422, { error: { code: 'CODE_INVALID', message: 'not a Marketing Code', fields: { code: 'CODE_IS_TEXT' } } }),
    )
    env.platform.scanner.scan.mockResolvedValueOnce('MC00000000ABCD')
    await wizard.scanSpotCode(0, labels)
    expect([wizard.fieldError('spots.0.marketingCode'), wizard.draft.spots[0].marketingCode]).toEqual(['CODE_IS_TEXT', ''])
  })

  it('is kept with the saved session; a session saved without it (an older app) signs in afresh', async () => {
    const env = await signedInWith(FORMAT)
    expect(env.storage.get(SESSION_STORAGE_KEY)).toMatchObject({ marketingCodes: FORMAT })
    const restarted = new RootStore(env.platform, config, { retryDelaysMs: [] })
    expect([restarted.session.token, restarted.session.marketingCodes]).toEqual([env.root.session.token, FORMAT])
    expect(restarted.session.marketingCodeReader.read('https://qr.alipayplus.example.com/mc/MC00000000ABCD')).toBe('MC00000000ABCD')

    const { marketingCodes: _dropped, ...older } = env.storage.get(SESSION_STORAGE_KEY) as Record<string, unknown>
    env.storage.set(SESSION_STORAGE_KEY, older)
    const olderApp = new RootStore(env.platform, config, { retryDelaysMs: [] })
    expect([olderApp.session.signedIn, olderApp.session.token, olderApp.session.marketingCodes]).toEqual([false, null, null])
    // nothing is a Marketing Code before a session brings the format
    expect(olderApp.session.marketingCodeReader.read('APMC0000000001')).toBeNull()
  })
})
