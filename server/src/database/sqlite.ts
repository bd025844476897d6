import { AsyncLocalStorage } from 'node:async_hooks'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { assertStorable, type Db, type PoolStats, type RunResult, type SqlParams, type TransactionOptions } from './port'

/** A mutual exclusion for async work: `const release = await lock.acquire()`. */
export class AsyncLock {
  private tail: Promise<void> = Promise.resolve()
  /** Resolves when the current holder releases; null when free. */
  held: Promise<void> | null = null
  /** Callers waiting for the holder to release. */
  waiting = 0

  async acquire(): Promise<() => void> {
    let release!: () => void
    const next = new Promise<void>((resolve) => (release = resolve))
    const previous = this.tail
    this.tail = previous.then(() => next)
    this.waiting++
    try {
      await previous
    } finally {
      this.waiting--
    }
    this.held = next
    return () => {
      this.held = null
      release()
    }
  }
}

export interface SqliteDb extends Db {
  readonly engine: 'sqlite'
  /** The better-sqlite3 connection (migrations, the online backup, tests of the file itself). */
  readonly connection: Database.Database
}

function bind(statement: Database.Statement, method: 'all' | 'get' | 'run', params: SqlParams): unknown {
  assertStorable(params)
  return Array.isArray(params) ? statement[method](...(params as unknown[])) : statement[method](params)
}

/**
 * SQLite through better-sqlite3: one connection per process, WAL, foreign keys on. Its calls are synchronous;
 * a write transaction holds the connection (AsyncLock) across its awaits, and other requests' queries wait
 * for it to end rather than run inside it.
 */
export function openSqlite(file: string): SqliteDb {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const connection = new Database(file)
  connection.pragma('journal_mode = WAL')
  connection.pragma('foreign_keys = ON')
  connection.pragma('busy_timeout = 5000')

  const statements = new Map<string, Database.Statement>()
  const prepare = (sql: string) => {
    let statement = statements.get(sql)
    if (!statement) {
      statement = connection.prepare(sql)
      if (statements.size > 500) statements.clear()
      statements.set(sql, statement)
    }
    return statement
  }
  const lock = new AsyncLock()
  const scope = new AsyncLocalStorage<true>()
  /** Outside a transaction, wait until none is open on the connection. */
  let queriesWaiting = 0
  const ready = async () => {
    while (lock.held && !scope.getStore()) {
      queriesWaiting++
      try {
        await lock.held
      } finally {
        queriesWaiting--
      }
    }
  }

  return {
    engine: 'sqlite',
    connection,
    async all<T>(sql: string, params: SqlParams = []) {
      await ready()
      return bind(prepare(sql), 'all', params) as T[]
    },
    async get<T>(sql: string, params: SqlParams = []) {
      await ready()
      return bind(prepare(sql), 'get', params) as T | undefined
    },
    async run(sql: string, params: SqlParams = []): Promise<RunResult> {
      await ready()
      return { changes: (bind(prepare(sql), 'run', params) as Database.RunResult).changes }
    },
    async exec(sql: string) {
      await ready()
      connection.exec(sql)
    },
    // one writer: the keys of TransactionOptions are protected already
    async transaction<R>(fn: () => Promise<R>, _options?: TransactionOptions): Promise<R> {
      if (scope.getStore()) return fn()
      const release = await lock.acquire()
      try {
        // IMMEDIATE: the write lock at once (another process waits up to busy_timeout)
        connection.exec('BEGIN IMMEDIATE')
        try {
          const result = await scope.run(true, fn)
          connection.exec('COMMIT')
          return result
        } catch (error) {
          if (connection.inTransaction) connection.exec('ROLLBACK')
          throw error
        }
      } finally {
        release()
      }
    },
    async lock(_keys: readonly string[]) {
      if (!scope.getStore()) throw new Error('db.lock outside a transaction')
    },
    inTransaction: () => scope.getStore() === true,
    // one connection: busy while a write transaction holds it; waiting, the transactions and queries queued behind it
    poolStats: (): PoolStats => ({
      max: 1,
      total: connection.open ? 1 : 0,
      idle: connection.open && lock.held === null ? 1 : 0,
      waiting: lock.waiting + queriesWaiting,
    }),
    async close() {
      const release = await lock.acquire()
      try {
        if (connection.open) connection.close()
      } finally {
        release()
      }
    },
  }
}
