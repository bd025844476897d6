/**
 * Payment verification's settings (issue 25, item 1): a production server with neither the Alipay+ settings nor
 * PAYMENT_VERIFICATION=manual refuses to start and says which settings are missing; the simulator is refused in
 * production; a malformed key is named without being quoted.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { loadConfig, startProblem } from '../../server/src/config'
import { rsaKeyPair } from '../helpers/fake-alipayplus'
import { tempDir } from './helpers'
import { MARKETING_CODES_ENV } from './marketing-code-env'

const ROOT = path.resolve(__dirname, '../..')
const PRODUCTION = {
  DINGTALK_APP_KEY: 'dingkey',
  DINGTALK_APP_SECRET: 'secret',
  DINGTALK_AGENT_ID: '3001001',
  DINGTALK_CORP_ID: 'dingcorp123',
  TEST_ACCOUNT_KEY: 'ab'.repeat(32),
  DINGTALK_MINI_APP_ID: '5000000000000042',
  ...MARKETING_CODES_ENV,
}

describe('payment verification settings', () => {
  const ours = rsaKeyPair()
  const alipays = rsaKeyPair()
  const ALIPAYPLUS = {
    ALIPAYPLUS_API_BASE: 'https://open-sea-global.alipayplus.com/',
    ALIPAYPLUS_CLIENT_ID: 'SANDBOX_5YC1234',
    ALIPAYPLUS_PRIVATE_KEY: ours.privateKeyPem.replace(/\n/g, '\\n'),
    ALIPAYPLUS_PUBLIC_KEY: alipays.publicKeyPem,
    ALIPAYPLUS_KEY_VERSION: '1',
  }

  it('refuses a production start without Alipay+ or manual review, naming the settings', () => {
    const problem = startProblem(loadConfig(PRODUCTION))
    expect(problem).toMatch(/ALIPAYPLUS_API_BASE, ALIPAYPLUS_CLIENT_ID, ALIPAYPLUS_PRIVATE_KEY, ALIPAYPLUS_PUBLIC_KEY, ALIPAYPLUS_KEY_VERSION/)
    expect(problem).toMatch(/PAYMENT_VERIFICATION=manual/)
    expect(startProblem(loadConfig({ ...PRODUCTION, PAYMENT_VERIFICATION: 'manual' }))).toBeNull()
    expect(startProblem(loadConfig({ ...PRODUCTION, ...ALIPAYPLUS }))).toBeNull()
    // development mode: the simulator, nothing to set
    expect(startProblem(loadConfig({ WORKSPACE_DEV: '1' }))).toBeNull()
    expect(loadConfig({ WORKSPACE_DEV: '1' }).payments.mode).toBeNull()
  })

  it('refuses the simulator in production', () => {
    expect(startProblem(loadConfig({ ...PRODUCTION, PAYMENT_VERIFICATION: 'simulator' }))).toMatch(
      /PAYMENT_VERIFICATION=simulator is for development and tests only/,
    )
    expect(startProblem(loadConfig({ WORKSPACE_DEV: '1', PAYMENT_VERIFICATION: 'simulator' }))).toBeNull()
  })

  it('names the Alipay+ settings missing when only some are set', () => {
    const { ALIPAYPLUS_PUBLIC_KEY: _p, ALIPAYPLUS_KEY_VERSION: _k, ...part } = ALIPAYPLUS
    expect(() => loadConfig({ ...PRODUCTION, ...part })).toThrow(
      'Alipay+ is configured only in part: set ALIPAYPLUS_PUBLIC_KEY, ALIPAYPLUS_KEY_VERSION as well',
    )
    expect(startProblem(loadConfig({ ...PRODUCTION, PAYMENT_VERIFICATION: 'alipayplus', ALIPAYPLUS_CLIENT_ID: 'X1' }))).toMatch(
      /PAYMENT_VERIFICATION=alipayplus needs ALIPAYPLUS_API_BASE, ALIPAYPLUS_PRIVATE_KEY, ALIPAYPLUS_PUBLIC_KEY, ALIPAYPLUS_KEY_VERSION/,
    )
  })

  it('reads the keys from the environment or from files, and refuses bad values without quoting a key', () => {
    const settings = loadConfig({ ...PRODUCTION, ...ALIPAYPLUS }).payments
    expect(settings.mode).toBe('alipayplus')
    expect(settings.alipayPlus).toMatchObject({
      apiBase: 'https://open-sea-global.alipayplus.com',
      clientId: 'SANDBOX_5YC1234',
      keyVersion: '1',
      timeoutMs: 5000,
      retries: 2,
    })
    expect(settings.alipayPlus?.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048)

    const { dir, cleanup } = tempDir()
    try {
      const file = path.join(dir, 'private.pem')
      fs.writeFileSync(file, ours.privateKeyPem)
      const { ALIPAYPLUS_PRIVATE_KEY: _inline, ...rest } = ALIPAYPLUS
      expect(loadConfig({ ...PRODUCTION, ...rest, ALIPAYPLUS_PRIVATE_KEY_FILE: file }).payments.alipayPlus?.clientId).toBe('SANDBOX_5YC1234')
      expect(() => loadConfig({ ...PRODUCTION, ...rest, ALIPAYPLUS_PRIVATE_KEY_FILE: path.join(dir, 'none.pem') })).toThrow(
        /ALIPAYPLUS_PRIVATE_KEY_FILE: cannot read/,
      )
    } finally {
      cleanup()
    }

    const secret = 'MIIEvAIBADANBgkqhkiG9w0BAQEFAASC-not-really-a-key'
    let message = ''
    try {
      loadConfig({ ...PRODUCTION, ...ALIPAYPLUS, ALIPAYPLUS_PRIVATE_KEY: secret })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/ALIPAYPLUS_PRIVATE_KEY is not an RSA private key/)
    expect(message).not.toContain(secret)
    expect(() => loadConfig({ ...PRODUCTION, ...ALIPAYPLUS, ALIPAYPLUS_API_BASE: 'http://alipayplus.example.com' })).toThrow(
      /ALIPAYPLUS_API_BASE must use https/,
    )
    expect(() => loadConfig({ ...PRODUCTION, ...ALIPAYPLUS, ALIPAYPLUS_KEY_VERSION: 'v1' })).toThrow(/ALIPAYPLUS_KEY_VERSION must be/)
    expect(() => loadConfig({ ...PRODUCTION, PAYMENT_VERIFICATION: 'trust-me' })).toThrow(/PAYMENT_VERIFICATION must be alipayplus, manual or simulator/)
    expect(() => loadConfig({ ...PRODUCTION, PAYMENT_VERIFICATION: 'manual', PAYMENT_WINDOW_MINUTES: '0' })).toThrow(
      /PAYMENT_WINDOW_MINUTES must be a whole number/,
    )
  })

  it('the production server process refuses to start and says which settings are missing', async () => {
    const { dir, cleanup } = tempDir()
    try {
      const result = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/src/main.ts'], {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '/tmp',
            ...PRODUCTION,
            PORT: '0',
            DB_PATH: path.join(dir, 'db.sqlite'),
            UPLOAD_DIR: path.join(dir, 'up'),
          } as unknown as NodeJS.ProcessEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        let out = ''
        child.stdout.on('data', (c: Buffer) => (out += c.toString()))
        child.stderr.on('data', (c: Buffer) => (out += c.toString()))
        child.on('error', reject)
        child.on('exit', (code: number | null) => resolve({ code, out }))
      })
      expect(result.code).not.toBe(0)
      expect(result.out).toMatch(/Production mode must check payments: set ALIPAYPLUS_API_BASE, .*PAYMENT_VERIFICATION=manual/)
    } finally {
      cleanup()
    }
  }, 60_000)
})
