/**
 * The rate limits' counts shared by server processes without a write on every request (issue 27, item 2): each
 * process is a counter on its own connection to one database (SQLite file, or PostgreSQL with TEST_DATABASE_URL),
 * as replicas behind a load balancer are. A key gets exactly its limit however its requests are spread over two or
 * four processes (places a process took in blocks are used by the key's later requests), and a burst costs a
 * statement per several requests, not one each.
 */
import type { Db } from '../../server/src/db'
import { databaseRateLimitCounter, type RateLimitCounter } from '../../server/src/routes/rate-limit-store'
import { testDatabaseIn, type TestDatabase } from './engine'
import { tempDir } from './helpers'

const MINUTE = 60_000

describe('rate limits shared by several server processes', () => {
  let database: TestDatabase
  let cleanup: () => void
  let connections: Db[] = []
  let counters: RateLimitCounter[] = []

  beforeEach(async () => {
    const temp = tempDir()
    cleanup = temp.cleanup
    database = testDatabaseIn(temp.dir)
    connections = [await database.open({ seed: false })]
  })
  afterEach(async () => {
    for (const c of counters) await c.close()
    for (const c of connections) await c.close()
    counters = []
    connections = []
    await database.drop()
    cleanup()
  })

  /** `n` processes: each its own connection and counter. */
  async function processes(n: number): Promise<RateLimitCounter[]> {
    for (let i = 0; i < n; i++) {
      const db = await database.connect()
      connections.push(db)
      counters.push(databaseRateLimitCounter(db))
    }
    return counters
  }

  /**
   * Requests of one key spread over the processes in turn, `inFlight` at a time, until every process has refused
   * it twice in a row; answers how many were allowed.
   */
  async function untilRefusedEverywhere(ps: RateLimitCounter[], key: string, max: number, inFlight: number): Promise<number> {
    let allowed = 0
    let next = 0
    const refusedInARow = ps.map(() => 0)
    const done = () => refusedInARow.every((n) => n >= 2) || next > max * 10
    const worker = async () => {
      while (!done()) {
        const p = next++ % ps.length
        const hits = await ps[p].count(key, MINUTE, max)
        if (hits.current <= max) {
          allowed++
          refusedInARow[p] = 0
        } else refusedInARow[p]++
      }
    }
    await Promise.all(Array.from({ length: inFlight }, worker))
    return allowed
  }

  it.each([
    [2, 16],
    [4, 16],
    [2, 3],
    [4, 60],
  ])('%i processes, limit %i: exactly the limit allowed, however the requests are spread', async (n, max) => {
    const ps = await processes(n)
    expect(await untilRefusedEverywhere(ps, 'submissionsPerMinute:staff:staff-dao', max, 8)).toBe(max)
  })

  it('counts a staff member’s requests in a statement per several requests, each request a place of its own', async () => {
    const [one] = await processes(1)
    const staff = Array.from({ length: 40 }, (_, i) => `uploadsPerMinute:staff:s-${i}`)
    const places = new Map(staff.map((key) => [key, [] as number[]]))
    let requests = 0
    for (let round = 0; round < 6; round++) {
      await Promise.all(staff.map(async (key) => places.get(key)!.push((await one.count(key, MINUTE, 60)).current)))
      requests += staff.length
    }
    // the keys that need places at the same moment share a statement; each takes a block of 60 / 8 places
    expect(one.statements).toBeLessThanOrEqual(2)
    expect(requests).toBe(240)
    for (const key of staff) expect(places.get(key)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('a key over its limit is refused by every process until its window ends, without asking the database each time', async () => {
    const ps = await processes(2)
    expect(await untilRefusedEverywhere(ps, 'signInPerMinute:ip:192.0.2.7', 5, 2)).toBe(5)
    const before = ps[0].statements + ps[1].statements
    for (let i = 0; i < 20; i++) expect((await ps[i % 2].count('signInPerMinute:ip:192.0.2.7', MINUTE, 5)).current).toBeGreaterThan(5)
    expect(ps[0].statements + ps[1].statements - before).toBeLessThanOrEqual(2)
  })
})
