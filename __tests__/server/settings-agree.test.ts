/**
 * The README and the settings agree (issue 24, item 7): DINGTALK_CALLS_PER_SECOND paces each process's DingTalk
 * calls as the README says; every boolean setting takes 1/0, true/false, yes/no and on/off and refuses anything
 * else naming the setting; operator mistakes on the command line (an unknown ISO, an unknown or misspelt option)
 * get a message that says what is wrong.
 */
import { PassThrough } from 'node:stream'
import { loadConfig } from '../../server/src/config'
import { runConsoleUser } from '../../server/src/console-user'
import { runSeedDemo } from '../../server/src/seed-demo'
import { createDingTalkClient } from '../../server/src/dingtalk/client'
import { s3OptionsFromEnv } from '../../server/src/storage/config'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { testDatabaseIn, type TestDatabase } from './engine'
import { tempDir } from './helpers'

const DINGTALK = { DINGTALK_APP_KEY: 'dingkey', DINGTALK_APP_SECRET: 'secret', DINGTALK_AGENT_ID: '3001001', DINGTALK_CORP_ID: 'dingcorp123' }

describe('DINGTALK_CALLS_PER_SECOND: DingTalk calls per second and API, in this process', () => {
  let fake: FakeDingTalk
  beforeEach(async () => {
    fake = await new FakeDingTalk().start()
    for (let i = 0; i < 8; i++) fake.addMember({ userid: `u-${i}`, name: `Staff ${i}`, deptIds: [1] })
  })
  afterEach(() => fake.stop())

  it('paces the calls of one API to the number set: 8 calls at 3 per second take over two seconds, no 4 within one second', async () => {
    const config = loadConfig({
      ...DINGTALK,
      DINGTALK_APP_KEY: fake.appKey,
      DINGTALK_APP_SECRET: fake.appSecret,
      DINGTALK_API_BASE: fake.url,
      DINGTALK_CALLS_PER_SECOND: '3',
    })
    expect(config.dingtalk?.callsPerSecond).toBe(3)
    // the client's own clock, moved by its waits: the pacing is read where the calls start, whatever the machine's load
    let clock = 0
    const sent: number[] = []
    const client = createDingTalkClient(config.dingtalk!, {
      now: () => clock,
      sleep: async (ms) => {
        const until = clock + ms
        await Promise.resolve()
        clock = Math.max(clock, until)
      },
      fetch: (url, init) => {
        if (String(url).includes('/topapi/v2/user/get?')) sent.push(clock)
        return fetch(url, init)
      },
    })
    await client.checkAccessToken()
    await Promise.all(Array.from({ length: 8 }, (_, i) => client.user(`u-${i}`)))
    expect(sent).toHaveLength(8)
    expect(fake.calls.filter((c) => c.api === 'user/get')).toHaveLength(8)
    sent.sort((a, b) => a - b)
    expect(sent[7] - sent[0]).toBeGreaterThanOrEqual(2000)
    for (let i = 0; i + 3 < sent.length; i++) expect(sent[i + 3] - sent[i]).toBeGreaterThanOrEqual(1000)
  })

  it('defaults to 15 and refuses what DingTalk would not allow (1 to 20), naming the setting', () => {
    expect(loadConfig(DINGTALK).dingtalk?.callsPerSecond).toBe(15)
    expect(loadConfig({ ...DINGTALK, DINGTALK_CALLS_PER_SECOND: '7' }).dingtalk?.callsPerSecond).toBe(7)
    for (const value of ['0', '21', 'fast', '2.5']) {
      expect(() => loadConfig({ ...DINGTALK, DINGTALK_CALLS_PER_SECOND: value })).toThrow(
        `DINGTALK_CALLS_PER_SECOND must be a whole number between 1 and 20 (got "${value}")`,
      )
    }
  })
})

describe('boolean settings take the usual spellings', () => {
  const readers: Record<string, (value: string) => boolean> = {
    WORKSPACE_DEV: (value) => loadConfig({ WORKSPACE_DEV: value }).dev,
    STARTUP_CHECKS: (value) => loadConfig({ STARTUP_CHECKS: value }).startupChecks,
    S3_FORCE_PATH_STYLE: (value) => s3OptionsFromEnv({ S3_BUCKET: 'photos', S3_FORCE_PATH_STYLE: value })!.forcePathStyle!,
  }

  it.each(Object.keys(readers))('%s: 1, true, yes, on (any case) and 0, false, no, off', (name) => {
    for (const value of ['1', 'true', 'TRUE', 'yes', 'Yes', 'on', ' ON ']) expect([value, readers[name](value)]).toEqual([value, true])
    for (const value of ['0', 'false', 'False', 'no', 'NO', 'off', 'Off']) expect([value, readers[name](value)]).toEqual([value, false])
  })

  it.each(Object.keys(readers))('%s: anything else is refused with a message naming the setting and the spellings', (name) => {
    for (const value of ['2', 'enabled', 'y', 'maybe']) {
      expect(() => readers[name](value)).toThrow(`${name} must be 1/0, true/false, yes/no or on/off (got "${value}")`)
    }
  })

  it('an unset or blank boolean setting takes its default', () => {
    expect(loadConfig({}).dev).toBe(false)
    expect(loadConfig({ WORKSPACE_DEV: ' ' }).dev).toBe(false)
    expect(loadConfig({}).startupChecks).toBe(true)
    expect(s3OptionsFromEnv({ S3_BUCKET: 'photos', S3_ENDPOINT: 'http://127.0.0.1:9000' })!.forcePathStyle).toBe(true)
    expect(s3OptionsFromEnv({ S3_BUCKET: 'photos' })!.forcePathStyle).toBe(false)
  })
})

describe('npm run console:user: operator mistakes get a message saying what is wrong', () => {
  let database: TestDatabase
  let cleanup: () => void
  beforeEach(async () => {
    const t = tempDir()
    cleanup = t.cleanup
    database = testDatabaseIn(t.dir)
    // the demo ISOs (iso-lioncity, iso-nusantara) in the database
    await (await database.open()).close()
  })
  afterEach(async () => {
    await database.drop()
    cleanup()
  })

  const stdin = (text: string) => {
    const input = new PassThrough()
    input.end(text)
    return input
  }
  const add = (args: string[]) =>
    runConsoleUser(['add', '--username', 'rina', '--name', 'Rina Reviewer', ...args], database.env(), stdin('a long enough password\n'))

  it('an unknown ISO is called an unknown ISO, and nothing is created', async () => {
    expect(await add(['--role', 'iso_reviewer', '--iso', 'iso-lion-city'])).toEqual({
      code: 1,
      out: ['Unknown ISO "iso-lion-city": no ISO has this id (each ISO\'s id is on its Edit page, /console/isos).'],
    })
    expect(await add(['--role', 'iso_reviewer'])).toEqual({ code: 1, out: ['An ISO reviewer needs the ISO they review.'] })
    expect((await runConsoleUser(['list'], database.env(), stdin(''))).out).toEqual(['No console account yet.'])
    // the right id works
    expect(await add(['--role', 'iso_reviewer', '--iso', 'iso-lioncity'])).toEqual({ code: 0, out: ['Created rina (ISO reviewer).'] })
  })

  it('an unknown role is named', async () => {
    expect(await add(['--role', 'reviewer'])).toEqual({
      code: 1,
      out: ['Unknown role "reviewer": choose iso_reviewer, coordinator, alipay_reviewer, admin.'],
    })
  })

  it('a misspelt option, an option without its value, and an option the role does not take are refused, not ignored', async () => {
    const first = async (args: string[]) => {
      const result = await add(args)
      return [result.code, result.out[0]]
    }
    expect(await first(['--role', 'iso_reviewer', '--isoo', 'iso-lioncity'])).toEqual([
      2,
      'Unknown option --isoo for add: it takes --role, --username, --name, --iso, --region, --dingtalk-user.',
    ])
    expect(await first(['--role', 'iso_reviewer', '--iso'])).toEqual([2, '--iso needs a value.'])
    expect(await first(['--role', 'admin', '--iso', 'iso-lioncity'])).toEqual([2, '--iso is only for --role iso_reviewer (the ISO they review).'])
    expect(await first(['--role', 'admin', 'Rina'])).toEqual([2, 'Unexpected "Rina": every value follows its option (e.g. --name "Olivia Tan").'])
    expect((await runConsoleUser(['list'], database.env(), stdin(''))).out).toEqual(['No console account yet.'])
  })
})

describe('npm run seed:demo: arguments it does not take are refused', () => {
  it('refuses `-- --iso <id>` (there is no per-ISO seeding) and adds nothing', async () => {
    const { dir, cleanup } = tempDir()
    const database = testDatabaseIn(dir)
    try {
      await (await database.open({ seed: false })).close()
      expect(await runSeedDemo(database.env(), ['--iso', 'iso-lion-city'])).toEqual({
        code: 2,
        out: [
          'npm run seed:demo takes no arguments (got "--iso iso-lion-city"): it adds the two demo ISOs with their staff and promotions, to the database of DB_PATH or DATABASE_URL. Nothing added.',
        ],
      })
      const db = await database.connect()
      try {
        expect(await db.all('SELECT id FROM isos')).toEqual([])
      } finally {
        await db.close()
      }
    } finally {
      await database.drop()
      cleanup()
    }
  })
})
