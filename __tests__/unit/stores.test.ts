import { RootStore } from '../../src/stores/root-store'
import { LOCALE_STORAGE_KEY } from '../../src/stores/i18n-store'
import { SESSION_STORAGE_KEY } from '../../src/stores/session-store'
import { ASSOCIATION_DRAFT_KEY } from '../../src/stores/association-store'
import { associationQrLink, parseAssociationQr } from '../../packages/contract/rules/association'
import { ASSOCIATION_PAGE, ASSOCIATION_QR_PREFIX } from '../../packages/contract/api'
import { DeviceError, TransportError, type HttpRequest } from '../../src/platform/types'
import { fakePlatform, json, memoryStorage } from '../helpers/fake-platform'
import { profile, session } from '../helpers/fixtures'

const config = { apiBaseUrl: 'http://api', corpId: 'corp' }
const iso = { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'VERIFY_THEN_DEPLOY' as const }

function signedInRoot(routes: Parameters<typeof fakePlatform>[0] = {}, staff = profile()) {
  const platform = fakePlatform({ 'POST /api/auth/dev': () => json(200, session(staff)), ...routes })
  const root = new RootStore(platform, config, { retryDelaysMs: [] })
  return { platform, root, signIn: () => root.session.devSignIn(staff.id) }
}

describe('I18nStore', () => {
  it('defaults to DingTalk’s language, normalised', () => {
    const root = new RootStore(fakePlatform({}, { language: 'zh_TW' }), config)
    expect(root.i18n.locale).toBe('zh-TW')
    expect(root.i18n.t('nav.language')).not.toBe('Language')
  })

  it('falls back to English for an unknown or missing language', () => {
    expect(new RootStore(fakePlatform({}, { language: 'fr-FR' }), config).i18n.locale).toBe('en')
    expect(new RootStore(fakePlatform({}, { language: null }), config).i18n.locale).toBe('en')
  })

  it('keeps the chosen language across restarts, over the system language', () => {
    const storage = memoryStorage()
    const first = new RootStore(fakePlatform({}, { storage, language: 'en' }), config)
    first.i18n.setLocale('th')
    const second = new RootStore(fakePlatform({}, { storage, language: 'ja-JP' }), config)
    expect(second.i18n.locale).toBe('th')
    expect(storage.data.get(LOCALE_STORAGE_KEY)).toBe('th')
  })

  it('ignores a stored value that is not a locale', () => {
    const storage = memoryStorage()
    storage.data.set(LOCALE_STORAGE_KEY, 'xx')
    expect(new RootStore(fakePlatform({}, { storage, language: 'ko' }), config).i18n.locale).toBe('ko')
  })

  it('feeds the native text components of the DingTalk build: texts, dates, switches and their news', () => {
    const storage = memoryStorage()
    const root = new RootStore(fakePlatform({}, { storage, language: 'en' }), config)
    const live = root.i18n.liveSource()
    expect(root.i18n.liveSource()).toBe(live)
    expect(live.text('nav.home')).toBe('Home')
    expect(live.text('lang.today', Date.UTC(2026, 10, 26, 12))).toBe('Today is November 26, 2026')
    expect(live.languages().map((l) => l.code)).toEqual(['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'th', 'ms', 'id', 'vi'])
    expect(live.languages()[3]).toEqual({ code: 'ja', name: '日本語' })

    const heard: string[] = []
    const off = live.subscribe(() => heard.push(live.locale()))
    live.setLocale('ja')
    expect(heard).toEqual(['ja'])
    expect(live.text('nav.home')).toBe('ホーム')
    expect(live.text('lang.today', Date.UTC(2026, 10, 26, 12))).toBe('今日は 2026年11月26日 です')
    expect(storage.data.get(LOCALE_STORAGE_KEY)).toBe('ja')

    // not a working language: nothing changes
    live.setLocale('xx')
    expect(live.locale()).toBe('ja')
    off()
    live.setLocale('th')
    expect(heard).toEqual(['ja'])
  })
})

describe('SessionStore', () => {
  it('inside DingTalk exchanges an auth code for a session', async () => {
    const platform = fakePlatform({ 'POST /api/auth/dingtalk': (req) => json(200, session(profile(), `t-${(req.body as { authCode: string }).authCode}`)) })
    platform.auth.kind = 'dingtalk'
    const root = new RootStore(platform, config)
    await root.session.start()
    expect(root.session.signedIn).toBe(true)
    expect(root.session.token).toBe('t-code-1')
  })

  it('sends the organisation it was built for and its working language, so that the server can refuse another one’s code', async () => {
    const platform = fakePlatform({ 'POST /api/auth/dingtalk': () => json(200, session()) })
    platform.auth.kind = 'dingtalk'
    platform.auth.corpId = 'dingcorp123'
    const root = new RootStore(platform, config)
    root.i18n.setLocale('th')
    await root.session.start()
    const sent = platform.http.request.mock.calls[0][0]
    expect(sent.body).toEqual({ authCode: 'code-1', corpId: 'dingcorp123' })
    expect(sent.headers).toMatchObject({ 'X-Workspace-Locale': 'th' })
  })

  it('signing in again after an expiry is one DingTalk sign-in however many calls ask for it at once', async () => {
    let codes = 0
    const platform = fakePlatform({ 'POST /api/auth/dingtalk': (req) => json(200, session(profile(), `t-${(req.body as { authCode: string }).authCode}`)) })
    platform.auth.kind = 'dingtalk'
    platform.auth.getAuthCode.mockImplementation(async () => `code-${++codes}`)
    const root = new RootStore(platform, config)
    await root.session.start()
    expect(root.session.token).toBe('t-code-1')
    const answers = await Promise.all([root.session.reauthenticate(), root.session.reauthenticate(), root.session.reauthenticate()])
    expect(answers).toEqual([true, true, true])
    expect(platform.auth.getAuthCode).toHaveBeenCalledTimes(2)
    expect(root.session.token).toBe('t-code-2')
    // a later expiry is a later sign-in
    await root.session.reauthenticate()
    expect(root.session.token).toBe('t-code-3')
  })

  it('in the browser preview asks for development sign-in with the seeded staff', async () => {
    const platform = fakePlatform({
      'GET /api/auth/dev/staff': () => json(200, { staff: [{ id: 'staff-aisyah', name: 'Aisyah', status: 'none', isoName: null }] }),
    })
    const root = new RootStore(platform, config)
    await root.session.start()
    expect(root.session.phase).toBe('needs-dev-signin')
    expect(root.session.devStaff).toHaveLength(1)
  })

  it('resumes a saved session after a restart without signing in again', async () => {
    const storage = memoryStorage()
    const first = new RootStore(fakePlatform({ 'POST /api/auth/dev': () => json(200, session()) }, { storage }), config)
    await first.session.devSignIn('staff-aisyah')
    const platform = fakePlatform({ 'GET /api/me': (req) => json(req.headers?.Authorization === 'Bearer tok-1' ? 200 : 401, profile()) }, { storage })
    const second = new RootStore(platform, config)
    await second.session.start()
    expect(second.session.signedIn).toBe(true)
    expect(platform.http.request).toHaveBeenCalledTimes(1)
  })

  describe('a returning staff member (saved session with its profile)', () => {
    const later = () => new Date(Date.now() + 3600_000).toISOString()
    async function savedBy(staff = profile()) {
      const storage = memoryStorage()
      const first = new RootStore(fakePlatform({ 'POST /api/auth/dev': () => json(200, { ...session(staff), expiresAt: later() }) }, { storage }), config)
      await first.session.devSignIn(staff.id)
      return storage
    }

    it('opens signed in at once, before any request, then takes the server’s newer profile', async () => {
      const storage = await savedBy()
      const platform = fakePlatform({ 'GET /api/me': () => json(200, profile({ status: 'associated', iso })) }, { storage })
      const root = new RootStore(platform, config, { retryDelaysMs: [] })
      expect(root.session.signedIn).toBe(true)
      expect(root.association.unlocked).toBe(false)
      expect(platform.http.request).not.toHaveBeenCalled()
      await root.session.start()
      expect(root.association.unlocked).toBe(true)
      expect(root.session.unconfirmed).toBe(false)
      // and the next launch opens with the newer profile
      expect(new RootStore(fakePlatform({}, { storage }), config).association.unlocked).toBe(true)
    })

    it('offline at launch: stays signed in with the saved profile and asks again later', async () => {
      const storage = await savedBy()
      const platform = fakePlatform({ 'GET /api/me': () => json(200, profile()) }, { storage })
      platform.http.request.mockRejectedValueOnce(new TransportError('network', 'down'))
      const root = new RootStore(platform, config, { retryDelaysMs: [] })
      await root.session.start()
      expect(root.session.signedIn).toBe(true)
      expect(root.session.phase).toBe('signed-in')
      expect(root.session.unconfirmed).toBe(true)
      await root.session.start()
      expect(root.session.unconfirmed).toBe(false)
    })

    it('a session the server no longer knows is dropped and sign-in starts afresh', async () => {
      const storage = await savedBy()
      const platform = fakePlatform(
        {
          'GET /api/me': () => json(403, { error: { code: 'FORBIDDEN', message: '' } }),
          'GET /api/auth/dev/staff': () => json(200, { staff: [] }),
        },
        { storage },
      )
      const root = new RootStore(platform, config, { retryDelaysMs: [] })
      await root.session.start()
      expect(root.session.signedIn).toBe(false)
      expect(root.session.phase).toBe('needs-dev-signin')
      expect(storage.data.has(SESSION_STORAGE_KEY)).toBe(false)
    })

    it('an expired saved session does not open from the saved profile', async () => {
      const storage = await savedBy()
      const saved = storage.data.get(SESSION_STORAGE_KEY) as { expiresAt: string }
      storage.data.set(SESSION_STORAGE_KEY, { ...saved, expiresAt: new Date(Date.now() - 1000).toISOString() })
      expect(new RootStore(fakePlatform({}, { storage }), config).session.signedIn).toBe(false)
    })
  })

  it('reports a failed DingTalk sign-in with a reason and can retry', async () => {
    const platform = fakePlatform({ 'POST /api/auth/dingtalk': () => json(401, { error: { code: 'AUTH_CODE_INVALID', message: '' } }) })
    platform.auth.kind = 'dingtalk'
    const root = new RootStore(platform, config)
    await root.session.start()
    expect(root.session.phase).toBe('failed')
    expect(root.session.error).toBe('AUTH_CODE_INVALID')
  })
})

describe('AssociationStore', () => {
  const requestsRoute = (req: HttpRequest) => {
    const body = req.body as { isoEmail: string; name: string; phone: string }
    return json(201, {
      status: 'pending',
      iso: null,
      request: {
        id: 'r1',
        isoEmail: body.isoEmail,
        isoName: iso.name,
        name: body.name,
        phone: '+6581234567',
        status: 'pending',
        reason: null,
        createdAt: '2026-11-25T10:00:00Z',
        decidedAt: null,
      },
    })
  }

  it('locks promotions with a reason until associated', async () => {
    const { root, signIn } = signedInRoot()
    await signIn()
    expect(root.association.unlocked).toBe(false)
    expect(root.association.lockReason).toBe('lock.none')
  })

  it('is unlocked once associated', async () => {
    const { root, signIn } = signedInRoot({}, profile({ status: 'associated', iso }))
    await signIn()
    expect(root.association.unlocked).toBe(true)
    expect(root.association.lockReason).toBeNull()
  })

  it('shows field errors only after a submit, keeps what was typed, sends nothing', async () => {
    const { root, platform, signIn } = signedInRoot()
    await signIn()
    const a = root.association
    a.setField('isoEmail', 'ops@lioncity')
    a.setField('phone', '81234567')
    expect(a.fieldError('isoEmail')).toBeNull()
    expect(await a.submit()).toBe(false)
    expect(a.fieldError('isoEmail')).toBe('EMAIL_INVALID')
    expect(a.fieldError('name')).toBe('REQUIRED')
    expect(a.fieldError('phone')).toBe('PHONE_NOT_INTERNATIONAL')
    expect(a.values).toEqual({ isoEmail: 'ops@lioncity', name: '', phone: '81234567' })
    expect(platform.http.request).toHaveBeenCalledTimes(1) // the sign-in only
  })

  it('sends a valid request and shows it pending', async () => {
    const { root, signIn } = signedInRoot({ 'POST /api/association/requests': requestsRoute })
    await signIn()
    const a = root.association
    a.setField('isoEmail', ' ops@lioncitypay.example ')
    a.setField('name', 'Aisyah Rahman')
    a.setField('phone', '+65 8123 4567')
    expect(await a.submit()).toBe(true)
    expect(a.status).toBe('pending')
    expect(root.session.staff?.association.request?.isoEmail).toBe('ops@lioncitypay.example')
    expect(a.values).toEqual({ isoEmail: '', name: '', phone: '' })
  })

  it('keeps the form and marks the field when the server refuses the ISO email', async () => {
    const { root, signIn } = signedInRoot({
      'POST /api/association/requests': () => json(422, { error: { code: 'ISO_UNKNOWN', message: '', fields: { isoEmail: 'ISO_UNKNOWN' } } }),
    })
    await signIn()
    const a = root.association
    a.setField('isoEmail', 'nobody@unknown.example')
    a.setField('name', 'Aisyah Rahman')
    a.setField('phone', '+65 8123 4567')
    expect(await a.submit()).toBe(false)
    expect(a.formError).toBe('ISO_UNKNOWN')
    expect(a.fieldError('isoEmail')).toBe('ISO_UNKNOWN')
    expect(a.values.isoEmail).toBe('nobody@unknown.example')
    a.setField('isoEmail', 'ops@lioncitypay.example')
    expect(a.fieldError('isoEmail')).toBeNull()
  })

  it('keeps a half-typed form across a restart', async () => {
    const storage = memoryStorage()
    const first = new RootStore(fakePlatform({}, { storage }), config)
    first.association.setField('name', 'Aisyah')
    const second = new RootStore(fakePlatform({}, { storage }), config)
    expect(second.association.values.name).toBe('Aisyah')
    expect(storage.data.get(ASSOCIATION_DRAFT_KEY)).toEqual({ isoEmail: '', name: 'Aisyah', phone: '' })
  })

  it('starts a corrected request from the rejected one', async () => {
    const rejected = profile({
      status: 'rejected',
      request: {
        id: 'r1',
        isoEmail: 'ops@lioncitypay.example',
        isoName: iso.name,
        name: 'Aisyah R',
        phone: '+6581234567',
        status: 'rejected',
        reason: 'Name does not match',
        createdAt: '2026-11-25T10:00:00Z',
        decidedAt: '2026-11-25T11:00:00Z',
      },
    })
    const { root, signIn } = signedInRoot({}, rejected)
    await signIn()
    root.association.prefillFromRejected()
    expect(root.association.values).toEqual({ isoEmail: 'ops@lioncitypay.example', name: 'Aisyah R', phone: '+6581234567' })
    expect(root.association.canRequest).toBe(true)
  })

  it('confirms joining Alipay Partners after approval', async () => {
    const { root, signIn } = signedInRoot(
      { 'POST /api/association/join': () => json(200, { status: 'associated', iso, request: null }) },
      profile({ status: 'approved', iso }),
    )
    await signIn()
    expect(root.association.canJoin).toBe(true)
    await root.association.confirmJoined()
    expect(root.association.status).toBe('associated')
    expect(root.association.unlocked).toBe(true)
  })

  it('scanning: an ISO association QR is accepted, any other code is refused with a reason', async () => {
    const { root, platform, signIn } = signedInRoot({
      'GET /api/association/iso?id=iso-lioncity': () => json(200, { id: 'iso-lioncity', name: 'Lion City Payments' }),
    })
    await signIn()
    const labels = { title: 't', placeholder: 'p', confirm: 'c', cancel: 'x' }
    platform.scanner.scan.mockResolvedValueOnce('https://example.com/pay')
    expect(await root.association.scanIsoQr(labels)).toBe(false)
    expect(root.association.formError).toBe('QR_NOT_ASSOCIATION')
    platform.scanner.scan.mockResolvedValueOnce(`${ASSOCIATION_QR_PREFIX}?iso=iso-lioncity`)
    expect(await root.association.scanIsoQr(labels)).toBe(true)
    expect(root.association.scannedIso).toEqual({ id: 'iso-lioncity', name: 'Lion City Payments' })
    platform.scanner.scan.mockResolvedValueOnce(null)
    expect(await root.association.scanIsoQr(labels)).toBeNull()
    // a failed scan (DingTalk's error 11) is said on the form; a cancel says nothing
    platform.scanner.scan.mockRejectedValueOnce(new DeviceError('SCAN_FAILED'))
    expect(await root.association.scanIsoQr(labels)).toBeNull()
    expect(root.association.formError).toBe('SCAN_FAILED')
  })

  it('scanning the poster’s DingTalk link fixes the ISO: sent with the request, kept with the draft, named when the email does not match', async () => {
    const sent: unknown[] = []
    const { root, platform, signIn } = signedInRoot({
      'GET /api/association/iso?id=iso-lioncity': () => json(200, { id: 'iso-lioncity', name: 'Lion City Payments' }),
      'GET /api/association/iso?id=iso-gone': () => json(404, { error: { code: 'ISO_UNKNOWN', message: '' } }),
      'POST /api/association/requests': (req) => {
        sent.push(req.body)
        return json(422, { error: { code: 'ISO_EMAIL_MISMATCH', message: '', fields: { isoEmail: 'ISO_EMAIL_MISMATCH' } } })
      },
    })
    await signIn()
    const labels = { title: 't', placeholder: 'p', confirm: 'c', cancel: 'x' }
    const link = associationQrLink({ miniAppId: '5000000000000001', corpId: 'dingcorp', agentId: '42', isoId: 'iso-lioncity' }, ASSOCIATION_PAGE)
    platform.scanner.scan.mockResolvedValueOnce(link)
    expect(await root.association.scanIsoQr(labels)).toBe(true)
    expect(root.association.scannedIso).toEqual({ id: 'iso-lioncity', name: 'Lion City Payments' })
    // the scanned ISO survives a restart of the app
    const again = new RootStore(fakePlatform({}, { storage: platform.storage }), config)
    expect(again.association.scannedIso).toEqual({ id: 'iso-lioncity', name: 'Lion City Payments' })

    root.association.setField('isoEmail', 'ops@nusantara.example')
    root.association.setField('name', 'Tan Mei Ling')
    root.association.setField('phone', '+6591234567')
    expect(await root.association.submit()).toBe(false)
    expect(sent).toEqual([expect.objectContaining({ isoId: 'iso-lioncity', isoEmail: 'ops@nusantara.example' })])
    expect(root.association.fieldError('isoEmail')).toBe('ISO_EMAIL_MISMATCH')
    expect(root.association.values.phone).toBe('+6591234567')

    platform.scanner.scan.mockResolvedValueOnce(link.replace('iso-lioncity', 'iso-gone'))
    expect(await root.association.scanIsoQr(labels)).toBe(false)
    expect(root.association.formError).toBe('ISO_UNKNOWN')
  })

  it('Check again asks the server; on show at most once a minute', async () => {
    let checks = 0
    const { root, signIn } = signedInRoot(
      {
        'POST /api/association/check': () => {
          checks++
          return json(200, { status: checks >= 2 ? 'associated' : 'approved', iso: checks >= 2 ? iso : null, request: null })
        },
      },
      profile({ status: 'approved', iso }),
    )
    await signIn()
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000)
    try {
      expect(await root.association.checkAgain(true)).toBe(true)
      expect(await root.association.checkAgain(true)).toBe(false)
      now.mockReturnValue(1_000_000 + 59_000)
      expect(await root.association.checkAgain(true)).toBe(false)
      expect(checks).toBe(1)
      now.mockReturnValue(1_000_000 + 60_000)
      expect(await root.association.checkAgain(true)).toBe(true)
      expect(root.association.status).toBe('associated')
      // associated: nothing more to check
      expect(await root.association.checkAgain()).toBe(false)
      expect(checks).toBe(2)
    } finally {
      now.mockRestore()
    }
  })
})

describe('parseAssociationQr', () => {
  it.each([
    [`${ASSOCIATION_QR_PREFIX}?iso=iso-lioncity`, { isoId: 'iso-lioncity' }],
    [`${ASSOCIATION_QR_PREFIX}`, { isoId: null }],
    [`${ASSOCIATION_QR_PREFIX}?iso=a&x=1`, { isoId: 'a' }],
    [`${ASSOCIATION_QR_PREFIX}x?iso=a`, null],
    ['posm-workspace://other?iso=a', null],
    ['', null],
    // the posters' DingTalk link (open_mini_app, its page and query encoded once more)
    [
      associationQrLink({ miniAppId: '5000000000000001', corpId: 'dingcorp', agentId: '42', isoId: 'iso-lioncity' }, ASSOCIATION_PAGE),
      { isoId: 'iso-lioncity' },
    ],
    [associationQrLink({ miniAppId: '5000000000000001', isoId: 'a_b-1' }, ASSOCIATION_PAGE), { isoId: 'a_b-1' }],
    ['dingtalk://dingtalkclient/action/open_mini_app?miniAppId=1&page=pages%2Fassociate%2Findex', { isoId: null }],
    ['dingtalk://dingtalkclient/action/open_mini_app?miniAppId=1&page=pages%2Fpromotion%2Fwizard%2Findex%3Fiso%3Da', null],
    ['dingtalk://dingtalkclient/action/open_mini_app?miniAppId=1', null],
    ['dingtalk://dingtalkclient/action/open_mini_app?miniAppId=1&page=pages%2Fassociate%2Findex%3Fiso%3D%3Cscript%3E', { isoId: null }],
    ['dingtalk://dingtalkclient/action/open_mini_app?miniAppId=1&page=%E0%A4%A', null],
  ])('%s', (text, expected) => {
    expect(parseAssociationQr(text, ASSOCIATION_QR_PREFIX, ASSOCIATION_PAGE)).toEqual(expected)
  })

  it('the link follows DingTalk’s scheme for an internal app', () => {
    expect(associationQrLink({ miniAppId: '5000000000000001', corpId: 'dingcorp', agentId: '42', isoId: 'iso-lioncity' }, ASSOCIATION_PAGE)).toBe(
      'dingtalk://dingtalkclient/action/open_mini_app?type=2&miniAppId=5000000000000001&corpId=dingcorp&agentId=42&pVersion=1&packageType=1&page=pages%2Fassociate%2Findex%3Fiso%3Diso-lioncity',
    )
  })
})
