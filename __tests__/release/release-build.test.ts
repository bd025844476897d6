/**
 * A release build (what would be uploaded to DingTalk or served to staff) refuses a plain-HTTP API address,
 * and for DingTalk a missing or development corp id, and carries no development-only path or secret:
 * development sign-in, the console's credentials, the development switches of the server. The built files
 * are read back, and every script of the DingTalk package is parsed as ES2017 (as dist/dd's preview build
 * is in __tests__/dd/dd-syntax.test.ts).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { es2017Scan, laterBuiltinsScan } from '../helpers/es2017'

const REPO = path.resolve(__dirname, '..', '..')
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-release-'))

// the API address and the corp id are what each test says, whatever the shell running the tests has set
const { TARO_APP_API_URL: _api, TARO_APP_DD_CORP_ID: _corp, ...outside } = process.env

function build(type: 'dd' | 'h5', env: Record<string, string>) {
  const output = path.join(
    out,
    `${type}-${Object.values(env)
      .join('-')
      .replace(/[^a-z0-9]/gi, '')}`,
  )
  const res = spawnSync(process.execPath, [path.join(REPO, 'node_modules/@tarojs/cli/bin/taro'), 'build', '--type', type], {
    cwd: REPO,
    // jest runs with NODE_ENV=test; a release build is a production build
    env: { ...outside, NODE_ENV: 'production', POSM_PREVIEW: '', POSM_OUTPUT: output, FORCE_COLOR: '0', ...env },
    encoding: 'utf8',
  })
  // Taro prints a configuration error and may still exit 0: what counts is that nothing was built
  const built = fs.existsSync(path.join(output, type === 'dd' ? 'app.js' : 'index.html'))
  return { status: res.status, built, log: `${res.stdout}\n${res.stderr}`, output }
}

function allText(dir: string): string {
  const walk = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]))
  return walk(dir)
    .filter((f) => /\.(js|json|html|axml|sjs|css|acss)$/.test(f))
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n')
}

// what an organisation's corpId looks like (`ding` and hex digits)
const CORP_ID = 'ding5f0c1e6a2b7d9e34'
const FORBIDDEN = ['/api/auth/dev', 'auth/dev/staff', 'CONSOLE_PASSWORD', 'CONSOLE_USER', 'WORKSPACE_DEV', 'DEMO_STAFF_ID', '/console']

afterAll(() => fs.rmSync(out, { recursive: true, force: true }))

describe('release builds', () => {
  it('refuses a plain-HTTP API address for the DingTalk app', () => {
    const res = build('dd', { TARO_APP_API_URL: 'http://api.posm.example', TARO_APP_DD_CORP_ID: CORP_ID })
    expect(res.built).toBe(false)
    expect(res.log).toContain('Refusing a plain-HTTP API address')
  })

  it('asks for the API address rather than guessing the local one', () => {
    const res = build('dd', { TARO_APP_DD_CORP_ID: CORP_ID })
    expect(res.built).toBe(false)
    expect(res.log).toContain('needs its API address')
  })

  it("asks for the organisation's corp id rather than using the development one", () => {
    const res = build('dd', { TARO_APP_API_URL: 'https://api.posm.example', TARO_APP_DD_CORP_ID: '' })
    expect(res.built).toBe(false)
    expect(res.log).toContain("needs the organisation's corp id")
  })

  it.each(['ding-local-dev-corp', 'ding-local-test'])('refuses the development corp id %s', (corpId) => {
    const res = build('dd', { TARO_APP_API_URL: 'https://api.posm.example', TARO_APP_DD_CORP_ID: corpId })
    expect(res.built).toBe(false)
    expect(res.log).toContain(`Refusing the development corp id ${corpId}`)
  })

  it.each([
    ['dd', { TARO_APP_API_URL: 'https://api.posm.example', TARO_APP_DD_CORP_ID: CORP_ID }],
    // the documented switch: the same app as one package (README: "Subpackages or one package")
    ['dd', { TARO_APP_API_URL: 'https://api.posm.example', TARO_APP_DD_CORP_ID: CORP_ID, POSM_DD_SUBPACKAGES: '0' }],
    ['h5', {}],
  ] as const)('%s: builds with HTTPS (or the same origin) and carries no development-only path', (type, env) => {
    const res = build(type, env)
    expect(res.status).toBe(0)
    expect(res.built).toBe(true)
    const text = allText(res.output)
    expect(text.length).toBeGreaterThan(100000)
    expect(FORBIDDEN.filter((s) => text.includes(s))).toEqual([])
    if (type === 'dd') {
      expect(text).toContain('https://api.posm.example')
      // the organisation's corp id is what dd.getAuthCode is called with, and nothing of the development one
      expect(text).toContain(CORP_ID)
      expect(text).not.toContain('ding-local')
      // an older DingTalk engine parses every script: no syntax later than ES2017, dependencies included
      const { scripts, problems } = es2017Scan(res.output)
      expect(scripts).toEqual(expect.arrayContaining(['app.js', 'taro.js', 'vendors.js', 'common.js']))
      expect(problems).toEqual([])
      // nor calls a built-in such an engine may lack (Object.fromEntries, flatMap, …)
      expect(laterBuiltinsScan(res.output)).toEqual([])
      const app = JSON.parse(fs.readFileSync(path.join(res.output, 'app.json'), 'utf8')) as { pages: string[]; subPackages?: unknown[] }
      if ('POSM_DD_SUBPACKAGES' in env) {
        expect(app.subPackages ?? []).toEqual([])
        expect(app.pages).toHaveLength(13)
      } else expect(app.subPackages).toHaveLength(4)
    }
  })
})
