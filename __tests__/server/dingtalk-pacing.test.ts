/**
 * DingTalk's call pacing shared by the server processes (issue 27, item 2; server/src/dingtalk/pacing.ts): two
 * processes (two connections to one database, SQLite file or PostgreSQL with TEST_DATABASE_URL) together start no
 * more calls of an API in a second than the limit, and a frequency-limit error one of them meets holds the other.
 */
import type { Db } from '../../server/src/db'
import { createDingTalkClient } from '../../server/src/dingtalk/client'
import { databasePacer } from '../../server/src/dingtalk/pacing'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { testDatabaseIn, type TestDatabase } from './engine'
import { tempDir } from './helpers'

describe('DingTalk call pacing shared by two server processes', () => {
  let database: TestDatabase
  let cleanup: () => void
  let connections: Db[] = []

  beforeEach(async () => {
    const temp = tempDir()
    cleanup = temp.cleanup
    database = testDatabaseIn(temp.dir)
    connections = [await database.open({ seed: false }), await database.connect()]
  })
  afterEach(async () => {
    for (const c of connections) await c.close()
    await database.drop()
    cleanup()
  })

  it('starts at most the limit per second across both processes (DingTalk counts calls per second)', async () => {
    const [a, b] = connections.map((db) => databasePacer(db))
    const seconds: number[] = []
    const take = async (pacer: typeof a) => {
      await pacer.take('topapi/v2/user/get', 4)
      seconds.push(Math.floor(Date.now() / 1000))
    }
    // 12 calls, six from each process, all at once
    await Promise.all([...Array.from({ length: 6 }, () => take(a)), ...Array.from({ length: 6 }, () => take(b))])
    const perSecond = new Map<number, number>()
    for (const s of seconds) perSecond.set(s, (perSecond.get(s) ?? 0) + 1)
    expect(seconds).toHaveLength(12)
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(4)
    // another API has its own count
    const started = Date.now()
    await a.take('topapi/v2/user/getbymobile', 4)
    expect(Date.now() - started).toBeLessThan(500)
  }, 20_000)

  it('a frequency-limit error met by one process pauses that API in the other for a second', async () => {
    const fake = await new FakeDingTalk().start()
    try {
      fake.addMember({ userid: 'u-siti', name: 'Siti Nurhaliza', stateCode: '60', mobile: '123456789', deptIds: [1] })
      const [one, two] = connections.map((db) =>
        createDingTalkClient(fake.settings({ timeoutMs: 1000 }), { retryDelaysMs: [20, 50], pacer: databasePacer(db) }),
      )
      // both have their token already
      await Promise.all([one.user('u-siti'), two.user('u-siti')])
      fake.fail('user/get', 'rate-limit', 1)
      const first = one.user('u-siti')
      // (the other process calls once the first has met the limit)
      await new Promise((resolve) => setTimeout(resolve, 150))
      const started = Date.now()
      expect((await two.user('u-siti')).name).toBe('Siti Nurhaliza')
      expect(Date.now() - started).toBeGreaterThanOrEqual(700)
      expect((await first).name).toBe('Siti Nurhaliza')
    } finally {
      await fake.stop()
    }
  }, 20_000)
})
