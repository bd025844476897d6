/**
 * The Alipay test accounts ISOs assign (console, Staff Details): the password sealed with AES-256-GCM under the
 * server's key (never in the database file, a log line, an error body or the console after saving), revealed to
 * its staff member alone on a tap, each assignment, change, withdrawal and reveal in the audit trail; the old
 * email column moved; the production server refusing to start without the key.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { TestAccountSecret } from '../../packages/contract/api'
import type { WorkspaceInfo } from '../../packages/contract/promotion'
import { buildServer } from '../../server/src/app'
import { loadConfig, startProblem } from '../../server/src/config'
import { MIGRATIONS, openDatabase } from '../../server/src/db'
import { openSqlite } from '../../server/src/database/sqlite'
import type { AuditRow } from '../../server/src/repo/audit'
import { seedDatabase } from '../../server/src/seed'
import { parseTestAccountKey, testAccountCipher } from '../../server/src/test-accounts/crypto'
import { onPostgres, onSqlite } from './engine'
import { DEV_ACCOUNT, errorOf, startTestServer, type TestServer } from './helpers'
import { startServerProcess } from './server-process'
import { MARKETING_CODES_ENV } from './marketing-code-env'

const PASSWORD = 'Zq8!unique-Λ-test-account-pass'
const PAGE = '/console/staff/staff-chen/test-account'

/** Every byte of the SQLite database: the file, its write-ahead log and shared-memory index. */
function sqliteBytes(dbPath: string): Buffer {
  return Buffer.concat([dbPath, `${dbPath}-wal`, `${dbPath}-shm`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)))
}

/** The forms in which a password could sit in a file: as typed (UTF-8, UTF-16) and encoded. */
function spellings(secret: string): Buffer[] {
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    Buffer.from(Buffer.from(secret).toString('base64')),
    Buffer.from(Buffer.from(secret).toString('hex')),
  ]
}

async function auditOf(server: TestServer, action?: string): Promise<AuditRow[]> {
  const rows = await server.db.all<AuditRow>(`SELECT * FROM audit_log WHERE subject_type = 'test_account' ORDER BY seq`)
  return action ? rows.filter((r) => r.action === action) : rows
}

describe('test accounts assigned by the ISO', () => {
  let server: TestServer
  const logLines: string[] = []
  const key = randomBytes(32)

  beforeEach(async () => {
    logLines.length = 0
    server = await startTestServer({ testAccountKey: key, logger: { level: 'debug', stream: { write: (line: string) => void logLines.push(line) } } })
  })
  afterEach(() => server.close())

  it('an ISO reviewer assigns one; the database holds only the sealed password, and no log line or page shows it', async () => {
    const lion = server.consoleAs(DEV_ACCOUNT.lioncity)
    const form = await lion.get(PAGE)
    expect(form.statusCode).toBe(200)
    const res = await lion.post(PAGE, { email: 'chen.alipay@lioncitypay.example', password: PASSWORD })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`${PAGE}?done=saved`)
    const after = await lion.get(res.headers.location as string)
    expect(after.body).toContain('Saved: Chen Wei sees the test account chen.alipay@lioncitypay.example')
    // after saving only "set", who and when — never the password
    expect(after.body).toMatch(/<dt>Password<\/dt><dd>set<\/dd>/)
    expect(after.body).toContain('Lion City ISO reviewer (lioncity)')
    expect(after.body).not.toContain(PASSWORD)
    expect((await lion.get('/console')).body).toContain('chen.alipay@lioncitypay.example')

    const row = await server.db.get<{ email: string; password_sealed: string }>(
      "SELECT email, password_sealed FROM test_accounts WHERE staff_id = 'staff-chen'",
    )
    expect(row?.email).toBe('chen.alipay@lioncitypay.example')
    expect(row?.password_sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(row?.password_sealed).not.toContain(PASSWORD)
    // it opens with the server's key for this staff member, and for nobody else
    expect(testAccountCipher(key).open('staff-chen', row!.password_sealed)).toBe(PASSWORD)
    expect(testAccountCipher(key).open('staff-dao', row!.password_sealed)).toBeNull()
    expect(testAccountCipher(randomBytes(32)).open('staff-chen', row!.password_sealed)).toBeNull()
    if (onSqlite) {
      const bytes = sqliteBytes(server.dbPath)
      expect(bytes.length).toBeGreaterThan(0)
      for (const spelling of spellings(PASSWORD)) expect(bytes.includes(spelling)).toBe(false)
      expect(bytes.includes(Buffer.from('chen.alipay@lioncitypay.example'))).toBe(true)
    }
    if (onPostgres) {
      const plain = await server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM test_accounts WHERE password_sealed LIKE ?', [`%${PASSWORD}%`])
      expect(Number(plain?.n)).toBe(0)
    }
    // the audit trail: who assigned it, the email, never the password
    const [entry] = await auditOf(server, 'test_account.change')
    expect(entry).toMatchObject({
      actor_name: 'Lion City ISO reviewer (lioncity)',
      actor_role: 'iso_reviewer',
      subject_id: 'staff-chen',
      iso_id: 'iso-lioncity',
    })
    expect(JSON.parse(entry.after_json!)).toEqual({ email: 'chen.alipay@lioncitypay.example', passwordSet: true, passwordChanged: true })
    expect(JSON.stringify(await auditOf(server))).not.toContain(PASSWORD)

    // the staff member: the email and that a password is set; the password only on Show
    const chen = await server.signIn('staff-chen')
    const info = (await server.api('GET', '/api/workspace', { token: chen })).json() as WorkspaceInfo
    expect(info.testAccount).toEqual({ email: 'chen.alipay@lioncitypay.example', passwordSet: true })
    expect(JSON.stringify((await server.api('GET', '/api/me', { token: chen })).json())).not.toContain(PASSWORD)
    const reveal = await server.api('POST', '/api/test-account/reveal', { token: chen, body: {} })
    expect(reveal.statusCode).toBe(200)
    expect(reveal.headers['cache-control']).toBe('no-store')
    expect(reveal.json()).toEqual({ email: 'chen.alipay@lioncitypay.example', password: PASSWORD } satisfies TestAccountSecret)
    const [revealed] = await auditOf(server, 'test_account.reveal')
    expect(revealed).toMatchObject({ actor_id: 'staff-chen', actor_name: 'Chen Wei', actor_role: 'staff', subject_id: 'staff-chen', iso_id: 'iso-lioncity' })
    expect(revealed.after_json).not.toContain(PASSWORD)
    // each reveal is recorded, and shown in the test account's history
    await server.api('POST', '/api/test-account/reveal', { token: chen, body: {} })
    expect(await auditOf(server, 'test_account.reveal')).toHaveLength(2)
    expect((await lion.get(PAGE)).body).toContain('Revealed the test account’s password')

    expect(logLines.length).toBeGreaterThan(0)
    expect(logLines.join('\n')).not.toContain(PASSWORD)
  })

  it('reveals the password only to its own staff member: another one gets their own, none, or a refusal', async () => {
    const lion = server.consoleAs(DEV_ACCOUNT.lioncity)
    expect((await lion.post(PAGE, { email: 'chen.alipay@lioncitypay.example', password: PASSWORD })).statusCode).toBe(303)

    // Dao (another ISO's staff member): their own demo account, never Chen's
    const dao = await server.signIn('staff-dao')
    const daoReveal = await server.api('POST', '/api/test-account/reveal', { token: dao, body: {} })
    expect(daoReveal.statusCode).toBe(200)
    expect(daoReveal.json()).toEqual({ email: 'alipay.test.dao@nusantara-ms.example', password: 'Nusantara-Demo-2025' })
    expect(daoReveal.body).not.toContain(PASSWORD)
    // Budi (invited, not yet associated): refused before anything is looked up
    const budi = await server.signIn('staff-budi')
    const budiReveal = await server.api('POST', '/api/test-account/reveal', { token: budi, body: {} })
    expect(budiReveal.statusCode).toBe(403)
    expect(errorOf(budiReveal).code).toBe('NOT_ASSOCIATED')
    // nobody signed in
    expect((await server.api('POST', '/api/test-account/reveal', { body: {} })).statusCode).toBe(401)
    // Dao's account withdrawn by their ISO: 404, and the app is told there is none
    const nusantara = server.consoleAs(DEV_ACCOUNT.nusantara)
    expect((await nusantara.post('/console/staff/staff-dao/test-account/withdraw', {})).statusCode).toBe(303)
    const gone = await server.api('POST', '/api/test-account/reveal', { token: dao, body: {} })
    expect(gone.statusCode).toBe(404)
    expect(errorOf(gone).code).toBe('TEST_ACCOUNT_NONE')
    expect(((await server.api('GET', '/api/workspace', { token: dao })).json() as WorkspaceInfo).testAccount).toBeNull()
    expect(await auditOf(server, 'test_account.reveal')).toEqual([expect.objectContaining({ actor_id: 'staff-dao' })])
  })

  it('only the ISO reviewer of the staff member’s ISO (or an administrator) sees or changes it', async () => {
    const before = await server.db.all('SELECT * FROM test_accounts ORDER BY staff_id')
    for (const who of [DEV_ACCOUNT.nusantara, DEV_ACCOUNT.coordinator, DEV_ACCOUNT.alipay]) {
      const client = server.consoleAs(who)
      expect([who, (await client.get(PAGE)).statusCode]).toEqual([who, 403])
      expect([who, (await client.post(PAGE, { email: 'x@example.com', password: 'stolen-pass' })).statusCode]).toEqual([who, 403])
      expect([who, (await client.post(`${PAGE}/withdraw`, {})).statusCode]).toEqual([who, 403])
      // a staff member that does not exist looks the same as another ISO's
      expect([who, (await client.get('/console/staff/staff-nobody/test-account')).statusCode]).toEqual([who, 403])
    }
    expect(await server.db.all('SELECT * FROM test_accounts ORDER BY staff_id')).toEqual(before)
    // Staff Details of the Nusantara reviewer neither lists Chen nor links to his account
    expect((await server.consoleAs(DEV_ACCOUNT.nusantara).get('/console')).body).not.toContain('/console/staff/staff-chen/test-account')
    // the administrator may, and gets a 404 for nobody
    expect((await server.consoleGet(PAGE)).statusCode).toBe(200)
    expect((await server.consoleGet('/console/staff/staff-nobody/test-account')).statusCode).toBe(404)
    const admin = await server.consolePost(PAGE, { email: 'chen.by.admin@lioncitypay.example', password: 'Admin-set-pass-1' })
    expect(admin.statusCode).toBe(303)
    expect((await auditOf(server, 'test_account.change')).at(-1)).toMatchObject({ actor_role: 'admin', iso_id: 'iso-lioncity' })
    // a staff member with no ISO: the page says so, and nothing can be assigned
    const aisyah = await server.consoleGet('/console/staff/staff-aisyah/test-account')
    expect(aisyah.body).toContain('is not with an ISO')
    const refused = await server.consolePost('/console/staff/staff-aisyah/test-account', { email: 'a@example.com', password: 'some-pass-123' })
    expect(refused.statusCode).toBe(409)
    expect(await server.db.get("SELECT * FROM test_accounts WHERE staff_id = 'staff-aisyah'")).toBeUndefined()
  })

  it('refuses bad input with a clear message, keeps the typed email, never sends the password back, and changes nothing', async () => {
    const lion = server.consoleAs(DEV_ACCOUNT.lioncity)
    // a fresh assignment (Chen's demo account withdrawn first)
    expect((await lion.post(`${PAGE}/withdraw`, {})).statusCode).toBe(303)
    const withdrawn = await lion.get(`${PAGE}?done=withdrawn`)
    expect(withdrawn.body).toContain('Withdrawn: Chen Wei no longer has a test account.')
    const audit = (await auditOf(server)).length
    const cases: Array<{ form: Record<string, string>; messages: string[] }> = [
      { form: { email: '', password: '' }, messages: ["Enter the test account's email", "Enter the test account's password"] },
      { form: { email: 'not an email', password: 'typed-secret-1' }, messages: ['This is not an email address'] },
      { form: { email: `${'a'.repeat(250)}@example.com`, password: 'typed-secret-2' }, messages: ['The email is too long (254 characters at most).'] },
      { form: { email: 'chen@lioncitypay.example', password: '' }, messages: ["Enter the test account's password"] },
      { form: { email: 'chen@lioncitypay.example', password: 'x'.repeat(129) }, messages: ['The password is too long (128 characters at most).'] },
      { form: { email: 'chen@lioncitypay.example', password: 'line\nbreak' }, messages: ['cannot contain line breaks'] },
      { form: { email: 'chen@lioncitypay.example', password: '    ' }, messages: ['The password cannot be only spaces.'] },
    ]
    for (const { form, messages } of cases) {
      const res = await lion.post(PAGE, form)
      const where = JSON.stringify(form).slice(0, 60)
      expect([where, res.statusCode]).toEqual([where, 400])
      const text = res.body
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&')
      for (const message of messages) expect([where, message, text.includes(message)]).toEqual([where, message, true])
      expect(res.body).toContain('The test account was not saved')
      if (form.email.length < 100 && form.email) expect(res.body).toContain(`value="${form.email}"`)
      if (form.password.trim()) {
        expect(res.body).not.toContain(form.password.slice(0, 50))
        expect(res.body).toContain('the password you typed was not kept: type it again')
      }
    }
    expect(await server.db.get("SELECT * FROM test_accounts WHERE staff_id = 'staff-chen'")).toBeUndefined()
    expect(await auditOf(server)).toHaveLength(audit)
    expect(logLines.join('\n')).not.toContain('typed-secret')

    // assigned, then the email changed with the password left empty: the password is kept
    expect((await lion.post(PAGE, { email: 'chen@lioncitypay.example', password: PASSWORD })).statusCode).toBe(303)
    expect((await lion.post(PAGE, { email: 'chen.new@lioncitypay.example', password: '' })).statusCode).toBe(303)
    const chen = await server.signIn('staff-chen')
    expect((await server.api('POST', '/api/test-account/reveal', { token: chen, body: {} })).json()).toEqual({
      email: 'chen.new@lioncitypay.example',
      password: PASSWORD,
    })
    expect((await auditOf(server)).slice(-3).map((r) => [r.action, JSON.parse(r.after_json ?? 'null')])).toEqual([
      ['test_account.assign', { email: 'chen@lioncitypay.example', passwordSet: true, passwordChanged: true }],
      ['test_account.change', { email: 'chen.new@lioncitypay.example', passwordSet: true, passwordChanged: false }],
      ['test_account.reveal', { email: 'chen.new@lioncitypay.example' }],
    ])
    // withdrawing twice: the second says there is nothing to withdraw
    expect((await lion.post(`${PAGE}/withdraw`, {})).statusCode).toBe(303)
    const again = await lion.post(`${PAGE}/withdraw`, {})
    expect(again.statusCode).toBe(409)
    expect(again.body).toContain('Chen Wei has no test account.')
    expect((await auditOf(server, 'test_account.withdraw')).at(-1)).toMatchObject({ actor_role: 'iso_reviewer', after_json: null })
  })

  it('a server with another key cannot read the password: a clear refusal, the value in no body and no log line', async () => {
    const lion = server.consoleAs(DEV_ACCOUNT.lioncity)
    expect((await lion.post(PAGE, { email: 'chen@lioncitypay.example', password: PASSWORD })).statusCode).toBe(303)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-other-key-'))
    const lines: string[] = []
    let other: FastifyInstance | undefined
    try {
      other = await buildServer({
        dev: true,
        clock: server.clock,
        staticDir: null,
        uploadDir: dir,
        testAccountKey: randomBytes(32),
        logger: { level: 'debug', stream: { write: (line: string) => void lines.push(line) } },
        ...server.database.serverOptions,
      })
      const signIn = await other.inject({ method: 'POST', url: '/api/auth/dev', payload: { staffId: 'staff-chen' } })
      const token = signIn.json().token as string
      const res = await other.inject({ method: 'POST', url: '/api/test-account/reveal', headers: { authorization: `Bearer ${token}` }, payload: {} })
      expect(res.statusCode).toBe(409)
      expect(errorOf(res).code).toBe('TEST_ACCOUNT_UNREADABLE')
      expect(res.body).not.toContain(PASSWORD)
      expect(lines.join('\n')).toContain('does not open with TEST_ACCOUNT_KEY')
      expect(lines.join('\n')).not.toContain(PASSWORD)
    } finally {
      await other?.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the key', () => {
  const DINGTALK = { DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's', DINGTALK_AGENT_ID: '1', DINGTALK_CORP_ID: 'c' }

  it('is 32 bytes in hex or base64; anything else is refused naming the setting, never quoting the value', () => {
    const key = randomBytes(32)
    expect(parseTestAccountKey(key.toString('hex'))).toEqual(key)
    expect(parseTestAccountKey(key.toString('base64'))).toEqual(key)
    expect(parseTestAccountKey(key.toString('base64url'))).toEqual(key)
    expect(parseTestAccountKey(undefined)).toBeUndefined()
    expect(parseTestAccountKey('  ')).toBeUndefined()
    for (const bad of ['correct horse battery staple', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), `${key.toString('hex')}00`]) {
      let message = ''
      try {
        loadConfig({ TEST_ACCOUNT_KEY: bad })
      } catch (e) {
        message = (e as Error).message
      }
      expect(message).toMatch(/^TEST_ACCOUNT_KEY must be 32 random bytes/)
      expect(message).not.toContain(bad)
    }
  })

  it('seals with a fresh IV each time, and a changed byte anywhere does not open', () => {
    const cipher = testAccountCipher(randomBytes(32))
    const a = cipher.seal('staff-x', PASSWORD)
    const b = cipher.seal('staff-x', PASSWORD)
    expect(a).not.toBe(b)
    expect([cipher.open('staff-x', a), cipher.open('staff-x', b)]).toEqual([PASSWORD, PASSWORD])
    const [format, iv, tag, body] = a.split('.')
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url')
      bytes[0] ^= 1
      return bytes.toString('base64url')
    }
    for (const tampered of [
      [format, flip(iv), tag, body],
      [format, iv, flip(tag), body],
      [format, iv, tag, flip(body)],
      ['v2', iv, tag, body],
      [format, iv, tag],
    ]) {
      expect(cipher.open('staff-x', tampered.join('.'))).toBeNull()
    }
  })

  it('production refuses to start without it; development has a default key', () => {
    expect(startProblem(loadConfig(DINGTALK))).toMatch(/set TEST_ACCOUNT_KEY/)
    expect(
      startProblem(
        loadConfig({
          ...DINGTALK,
          TEST_ACCOUNT_KEY: randomBytes(32).toString('base64'),
          DINGTALK_MINI_APP_ID: '5000000000000042',
          PAYMENT_VERIFICATION: 'manual',
          ...MARKETING_CODES_ENV,
        }),
      ),
    ).toBeNull()
    expect(startProblem(loadConfig({ WORKSPACE_DEV: '1' }))).toBeNull()
  })

  it('the production server process exits with a message naming TEST_ACCOUNT_KEY', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-nokey-'))
    try {
      const env = { HOST: '127.0.0.1', PORT: '0', DB_PATH: path.join(dir, 'db.sqlite'), UPLOAD_DIR: path.join(dir, 'uploads'), ...DINGTALK }
      await expect(startServerProcess(env)).rejects.toThrow(
        /exited \(1\)[\s\S]*Production mode encrypts the Alipay test accounts' passwords: set TEST_ACCOUNT_KEY/,
      )
      // nothing was created: it stopped before opening the database
      expect(fs.existsSync(path.join(dir, 'db.sqlite'))).toBe(false)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe('the test-account email of the previous schema', () => {
  const itSqlite = onSqlite ? it : it.skip
  itSqlite('moves to the new table (no password yet); a development server then seals the demo password', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-ta-upgrade-'))
    const file = path.join(dir, 'old.sqlite')
    const now = new Date('2026-12-01T08:00:00.000Z')
    try {
      const old = openSqlite(file)
      old.connection.transaction(() => {
        for (let version = 0; version < 7; version++) MIGRATIONS[version](old.connection)
        old.connection.pragma('user_version = 7')
      })()
      await seedDatabase(old, now)
      await old.run("UPDATE staff SET test_account_email = 'alipay.test.chen@lioncitypay.example' WHERE id = 'staff-chen'")
      await old.run("UPDATE staff SET test_account_email = 'kept@nusantara-ms.example' WHERE id = 'staff-dao'")
      await old.close()

      const db = await openDatabase(file, { clock: { now: () => now } })
      try {
        expect(await db.all('SELECT staff_id, iso_id, email, password_sealed FROM test_accounts ORDER BY staff_id')).toEqual([
          { staff_id: 'staff-chen', iso_id: 'iso-lioncity', email: 'alipay.test.chen@lioncitypay.example', password_sealed: null },
          { staff_id: 'staff-dao', iso_id: 'iso-nusantara', email: 'kept@nusantara-ms.example', password_sealed: null },
        ])
        const columns = await db.all<{ name: string }>("SELECT name FROM pragma_table_info('staff')")
        expect(columns.map((c) => c.name)).not.toContain('test_account_email')
      } finally {
        await db.close()
      }

      // a production server: the email, no password yet (the console asks the ISO to set one)
      const prod = await buildServer({ dev: false, dbPath: file, staticDir: null, uploadDir: path.join(dir, 'uploads'), testAccountKey: randomBytes(32) })
      try {
        const page = await prod.inject({ method: 'GET', url: '/console/staff/staff-chen/test-account' })
        expect(page.statusCode).toBe(303) // signed out: to the sign-in form
      } finally {
        await prod.close()
      }
      const dev = await buildServer({ dev: true, dbPath: file, staticDir: null, uploadDir: path.join(dir, 'uploads') })
      try {
        const token = (await dev.inject({ method: 'POST', url: '/api/auth/dev', payload: { staffId: 'staff-chen' } })).json().token as string
        const reveal = await dev.inject({ method: 'POST', url: '/api/test-account/reveal', headers: { authorization: `Bearer ${token}` }, payload: {} })
        expect(reveal.json()).toEqual({ email: 'alipay.test.chen@lioncitypay.example', password: 'LionCity-Demo-2025' })
      } finally {
        await dev.close()
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
