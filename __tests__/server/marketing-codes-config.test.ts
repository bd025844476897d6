/**
 * Marketing Codes as the program prints them (issue 25, item 5): which QR payloads are Alipay+ Marketing Codes is
 * the server's configuration (MARKETING_CODE_URL_PATTERNS, MARKETING_CODE_PATTERN), the example form only the
 * development default; a production server refuses to start without it; the format goes to the app with the
 * session; the server reads scans and submissions with it and says what a scan that is not one is.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { SessionInfo } from '../../packages/contract/api'
import type { PromotionView } from '../../packages/contract/promotion'
import { DEVELOPMENT_MARKETING_CODE_FORMAT } from '../../packages/contract/rules/marketing-code-dev'
import { loadConfig, startProblem } from '../../server/src/config'
import { errorOf, startTestServer, type TestServer } from './helpers'
import { MARKETING_CODES_ENV } from './marketing-code-env'
import { createPromotion, promotionBody } from './promotion-fixtures'
import { startServerProcess } from './server-process'

const PRODUCTION = {
  DINGTALK_APP_KEY: 'mc-test',
  DINGTALK_APP_SECRET: 'mc-test-secret',
  DINGTALK_AGENT_ID: '1',
  DINGTALK_CORP_ID: 'ding-mc-test',
  DINGTALK_API_BASE: 'http://127.0.0.1:9',
  DINGTALK_MINI_APP_ID: '5000000000000042',
  TEST_ACCOUNT_KEY: 'ab'.repeat(32),
  PAYMENT_VERIFICATION: 'manual',
}
const FORMAT = { urlPatterns: MARKETING_CODES_ENV.MARKETING_CODE_URL_PATTERNS.split(' '), codePattern: MARKETING_CODES_ENV.MARKETING_CODE_PATTERN }

describe('the Marketing Code settings', () => {
  it('development mode has the example form; production has none and refuses to start, naming both settings', () => {
    expect(loadConfig({ WORKSPACE_DEV: '1' }).marketingCodes).toEqual(DEVELOPMENT_MARKETING_CODE_FORMAT)
    expect(loadConfig(PRODUCTION).marketingCodes).toBeNull()
    expect(startProblem(loadConfig(PRODUCTION))).toMatch(/set MARKETING_CODE_URL_PATTERNS and MARKETING_CODE_PATTERN/)
    expect(startProblem(loadConfig({ ...PRODUCTION, ...MARKETING_CODES_ENV }))).toBeNull()
  })

  it('reads the addresses separated by spaces or new lines, and the code’s pattern', () => {
    expect(loadConfig({ ...PRODUCTION, ...MARKETING_CODES_ENV }).marketingCodes).toEqual(FORMAT)
    const lines = loadConfig({
      ...PRODUCTION,
      MARKETING_CODE_URL_PATTERNS: '\n https://a.example/{code}\n\thttps://b.example/x?c={code}\n',
      MARKETING_CODE_PATTERN: ' X\\d{4} ',
    })
    expect(lines.marketingCodes).toEqual({ urlPatterns: ['https://a.example/{code}', 'https://b.example/x?c={code}'], codePattern: 'X\\d{4}' })
    // development mode takes the configured format over its example
    expect(loadConfig({ WORKSPACE_DEV: '1', ...MARKETING_CODES_ENV }).marketingCodes).toEqual(FORMAT)
  })

  it.each([
    [{ MARKETING_CODE_URL_PATTERNS: 'https://a.example/{code}' }, /configured only in part: set MARKETING_CODE_PATTERN/],
    [{ MARKETING_CODE_PATTERN: 'X\\d{4}' }, /configured only in part: set MARKETING_CODE_URL_PATTERNS/],
    [
      { MARKETING_CODE_URL_PATTERNS: 'https://a.example/mc', MARKETING_CODE_PATTERN: 'X\\d{4}' },
      /MARKETING_CODE_URL_PATTERNS: each address holds \{code\} exactly once/,
    ],
    [{ MARKETING_CODE_URL_PATTERNS: 'https://a.example/{code}/{code}', MARKETING_CODE_PATTERN: 'X\\d{4}' }, /exactly once/],
    [{ MARKETING_CODE_URL_PATTERNS: 'a.example/{code}', MARKETING_CODE_PATTERN: 'X\\d{4}' }, /each entry is an address/],
    [
      { MARKETING_CODE_URL_PATTERNS: 'https://a.example/{code}', MARKETING_CODE_PATTERN: 'X(\\d{4}' },
      /MARKETING_CODE_PATTERN is not a valid regular expression/,
    ],
    [{ MARKETING_CODE_URL_PATTERNS: 'https://a.example/{code}', MARKETING_CODE_PATTERN: '\\d*' }, /MARKETING_CODE_PATTERN must not match an empty text/],
  ])('refuses %j, naming the setting', (env, message) => {
    expect(() => loadConfig({ ...PRODUCTION, ...env })).toThrow(message)
  })

  it('the production server process exits with a message naming the settings, before opening the database', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-nomc-'))
    try {
      const env = { HOST: '127.0.0.1', PORT: '0', DB_PATH: path.join(dir, 'db.sqlite'), UPLOAD_DIR: path.join(dir, 'uploads'), ...PRODUCTION }
      await expect(startServerProcess(env)).rejects.toThrow(/exited \(1\)[\s\S]*set MARKETING_CODE_URL_PATTERNS and MARKETING_CODE_PATTERN/)
      expect(fs.existsSync(path.join(dir, 'db.sqlite'))).toBe(false)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('a server with its own Marketing Code format', () => {
  let server: TestServer
  let dao: string // Nusantara: Deploy-Then-Verify
  let session: SessionInfo

  beforeAll(async () => {
    server = await startTestServer({ marketingCodes: FORMAT })
    const res = await server.api('POST', '/api/auth/dev', { body: { staffId: 'staff-dao' } })
    session = res.json() as SessionInfo
    dao = session.token
  })
  afterAll(async () => {
    await server.close()
  })

  const check = (code: unknown) => server.api('POST', '/api/marketing-codes/check', { token: dao, body: { code } })

  it('sends its format to the app with the session', () => {
    expect(session.marketingCodes).toEqual(FORMAT)
  })

  it.each([
    ['https://qr.alipayplus.example.com/mc/MC0000000000A1', 'MC0000000000A1'],
    ['HTTPS://QR.ALIPAYPLUS.EXAMPLE.COM/mc/MC0000000000A2', 'MC0000000000A2'],
    ['https://qr.alipayplus.example.com/s?c=MC0000000000A3&src=poster', 'MC0000000000A3'],
    ['  MC0000000000A4 ', 'MC0000000000A4'],
  ])('reads %j as the code %s', async (scanned, code) => {
    const res = await check(scanned)
    expect([res.statusCode, res.json()]).toEqual([200, { code, available: true }])
  })

  it.each([
    // the development example form is no Marketing Code here
    ['https://marketing.alipayplus.example/mc/APMC0000000009', 'CODE_IS_WEB_LINK'],
    ['APMC0000000009', 'CODE_IS_TEXT'],
    // the code in lower case, a path after it, another host
    ['https://qr.alipayplus.example.com/mc/mc0000000000a1', 'CODE_IS_WEB_LINK'],
    ['https://qr.alipayplus.example.com/mc/MC0000000000A1/x', 'CODE_IS_WEB_LINK'],
    ['https://evil.example/?u=https://qr.alipayplus.example.com/mc/MC0000000000A1', 'CODE_IS_WEB_LINK'],
    ['00020101021126330014A000000615000101061234565204581253034585802ID5910Warung VM6007Jakarta63041F2C', 'CODE_IS_PAYMENT_QR'],
    ['https://qr.alipay.com/fkx12345abcde', 'CODE_IS_PAYMENT_QR'],
    ['286543210987654321', 'CODE_IS_PAYMENT_QR'],
    ['Meja 7', 'CODE_IS_TEXT'],
    ['', 'CODE_INVALID'],
  ])('refuses %j with 422 CODE_INVALID, the field saying %s', async (scanned, what) => {
    const res = await check(scanned)
    expect([res.statusCode, errorOf(res).code, errorOf(res).fields]).toEqual([422, 'CODE_INVALID', { code: what }])
  })

  it('binds a submission’s codes as read with its format (an address or bare), and refuses the example form', async () => {
    const body = await promotionBody(server, dao)
    body.spots[0].marketingCode = 'https://qr.alipayplus.example.com/mc/MC0000000000B1'
    body.spots[1].marketingCode = 'MC0000000000B2'
    const created: PromotionView = await createPromotion(server, dao, body)
    expect(created.spots.map((s) => s.marketingCode)).toEqual(['MC0000000000B1', 'MC0000000000B2'])
    expect((await check('MC0000000000B1')).statusCode).toBe(409)

    const example = await promotionBody(server, dao)
    example.spots[1].marketingCode = 'https://marketing.alipayplus.example/mc/APMC0000000019'
    const refused = await server.api('POST', '/api/promotions', {
      token: dao,
      body: { ...example, spots: [{ ...example.spots[0], marketingCode: 'MC0000000000B3' }, example.spots[1]] },
    })
    expect([refused.statusCode, errorOf(refused).code, errorOf(refused).fields]).toEqual([
      400,
      'VALIDATION_FAILED',
      { 'spots.1.marketingCode': 'CODE_INVALID' },
    ])
  })

  it('refuses one code on two spots, once as its address and once bare (422 CODE_DUPLICATE on both)', async () => {
    const body = await promotionBody(server, dao)
    body.spots[0].marketingCode = 'https://qr.alipayplus.example.com/mc/MC0000000000C1'
    body.spots[1].marketingCode = 'MC0000000000C1'
    const res = await server.api('POST', '/api/promotions', { token: dao, body })
    expect([res.statusCode, errorOf(res).code, errorOf(res).fields]).toEqual([
      422,
      'CODE_DUPLICATE',
      { 'spots.0.marketingCode': 'CODE_DUPLICATE', 'spots.1.marketingCode': 'CODE_DUPLICATE' },
    ])
  })
})
