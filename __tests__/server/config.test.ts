import path from 'node:path'
import { loadConfig, REPO_ROOT, startProblem } from '../../server/src/config'
import { MARKETING_CODES_ENV } from './marketing-code-env'

describe('loadConfig', () => {
  it('has defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 3100,
      host: '127.0.0.1',
      dbPath: path.join(REPO_ROOT, '.data', 'workspace.sqlite'),
      dev: false,
      rateLimits: { signInPerMinute: 60, uploadsPerMinute: 60, submissionsPerMinute: 30 },
      staticDir: path.join(REPO_ROOT, 'dist', 'h5'),
      sessionTtlMinutes: 720,
      demoStaffId: 'staff-aisyah',
      uploadDir: path.join(REPO_ROOT, '.data', 'uploads'),
      maxUploadBytes: 5 * 1024 * 1024,
      // no S3_BUCKET: photos in the upload folder
      photoBucket: null,
      dingtalk: null,
      miniAppId: null,
      consoleUrl: null,
      metrics: null,
      shutdownDeadlineSeconds: 25,
      startupChecks: true,
      // no PAYMENT_VERIFICATION nor ALIPAYPLUS_*: nothing chosen (production refuses to start: payment-config.test.ts)
      payments: { mode: null, alipayPlus: null, windowMinutes: 180, missing: [] },
      // no MARKETING_CODE_URL_PATTERNS / MARKETING_CODE_PATTERN: none (production refuses to start)
      marketingCodes: null,
      // the evidence checks' thresholds (issue 26: README, Evidence checks)
      evidence: { reuseMaxBits: 6, reuseMaxColour: 8, sameStoreMeters: 150, farMeters: 200, poorAccuracyMeters: 100 },
      photoQuality: { darkBelow: 45, overexposedAbove: 0.25, blurredBelow: 150 },
    })
    expect(path.basename(REPO_ROOT)).not.toBe('server')
  })

  const DINGTALK = { DINGTALK_APP_KEY: 'dingkey', DINGTALK_APP_SECRET: 'sec ret', DINGTALK_AGENT_ID: '3001001', DINGTALK_CORP_ID: 'dingcorp123' }

  it('reads the DingTalk app, with DingTalk’s own address by default', () => {
    expect(loadConfig(DINGTALK).dingtalk).toEqual({
      appKey: 'dingkey',
      appSecret: 'sec ret',
      agentId: '3001001',
      corpId: 'dingcorp123',
      apiBase: 'https://oapi.dingtalk.com',
      timeoutMs: 4000,
      callsPerSecond: 15,
    })
    expect(loadConfig({ ...DINGTALK, DINGTALK_API_BASE: 'http://127.0.0.1:4567', DINGTALK_TIMEOUT_MS: '900' }).dingtalk).toMatchObject({
      apiBase: 'http://127.0.0.1:4567',
      timeoutMs: 900,
    })
  })

  it('refuses DingTalk configured in part, a non-numeric agent id, or plain HTTP to a remote host', () => {
    expect(() => loadConfig({ DINGTALK_APP_KEY: 'dingkey' })).toThrow(/DINGTALK_APP_SECRET, DINGTALK_AGENT_ID, DINGTALK_CORP_ID/)
    expect(() => loadConfig({ ...DINGTALK, DINGTALK_AGENT_ID: 'agent' })).toThrow(/DINGTALK_AGENT_ID/)
    expect(() => loadConfig({ ...DINGTALK, DINGTALK_API_BASE: 'http://oapi.example.com' })).toThrow(/https/)
    expect(() => loadConfig({ ...DINGTALK, DINGTALK_API_BASE: 'not a url' })).toThrow(/DINGTALK_API_BASE/)
  })

  it('does not start in production mode without DingTalk: nobody could sign in', () => {
    expect(startProblem(loadConfig({}))).toMatch(/DINGTALK_APP_KEY, DINGTALK_APP_SECRET, DINGTALK_AGENT_ID, DINGTALK_CORP_ID/)
    expect(startProblem(loadConfig({ WORKSPACE_DEV: '1' }))).toBeNull()
    expect(
      startProblem(
        loadConfig({
          ...DINGTALK,
          TEST_ACCOUNT_KEY: 'ab'.repeat(32),
          DINGTALK_MINI_APP_ID: '5000000000000042',
          PAYMENT_VERIFICATION: 'manual',
          ...MARKETING_CODES_ENV,
        }),
      ),
    ).toBeNull()
  })

  it('does not start in production mode without the mini-app id the QR posters open (development has a default)', () => {
    expect(startProblem(loadConfig({ ...DINGTALK, TEST_ACCOUNT_KEY: 'ab'.repeat(32) }))).toMatch(/DINGTALK_MINI_APP_ID/)
    expect(loadConfig({ WORKSPACE_DEV: '1' }).miniAppId).toBe('5000000000000000')
    expect(loadConfig({ DINGTALK_MINI_APP_ID: ' 5000000000000042 ' }).miniAppId).toBe('5000000000000042')
    expect(() => loadConfig({ DINGTALK_MINI_APP_ID: 'my-app' })).toThrow(/DINGTALK_MINI_APP_ID must be the mini-app's MiniAppId/)
  })

  it('reads the staff API rate limits, refusing a malformed one', () => {
    expect(loadConfig({ RATE_LIMIT_SIGNIN_PER_MINUTE: '5', RATE_LIMIT_UPLOADS_PER_MINUTE: '7', RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '9' }).rateLimits).toEqual({
      signInPerMinute: 5,
      uploadsPerMinute: 7,
      submissionsPerMinute: 9,
    })
    expect(() => loadConfig({ RATE_LIMIT_UPLOADS_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_UPLOADS_PER_MINUTE/)
  })

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '3199',
      HOST: '0.0.0.0',
      DB_PATH: '/tmp/x.sqlite',
      STATIC_DIR: '/srv/h5',
      SESSION_TTL_MINUTES: '5',
      DEMO_STAFF_ID: 'staff-chen',
      UPLOAD_DIR: '/var/posm/uploads',
      MAX_UPLOAD_BYTES: '1048576',
    })
    expect(config).toMatchObject({
      port: 3199,
      host: '0.0.0.0',
      dbPath: '/tmp/x.sqlite',
      staticDir: '/srv/h5',
      sessionTtlMinutes: 5,
      demoStaffId: 'staff-chen',
      uploadDir: '/var/posm/uploads',
      maxUploadBytes: 1048576,
    })
  })

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['SESSION_TTL_MINUTES', '0'],
    ['SESSION_TTL_MINUTES', '1.5'],
    ['MAX_UPLOAD_BYTES', '5MB'],
    ['MAX_UPLOAD_BYTES', '10'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name)
  })
})
