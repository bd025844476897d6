import { AsyncLocalStorage } from 'node:async_hooks'
import pg from 'pg'
import { assertStorable, type Db, type PoolStats, type RunResult, type SqlParams, type SqlValue, type TransactionOptions } from './port'

/**
 * The schema's advisory lock: a transaction without keys takes it exclusively (it runs alone, across all server
 * processes), a keyed transaction shares it (keyed transactions run together, each waiting only for its keys).
 */
const WRITER_LOCK = 74_110_001

/** A keyed transaction is run again after a deadlock or a serialization failure, at most this many times in all. */
const ATTEMPTS = 4
const RETRIED = new Set(['40P01', '40001'])

/**
 * The statement after BEGIN that takes a transaction's locks: the schema's lock exclusively (no keys given), shared
 * (an empty list), or shared with one lock per key (`quote` makes each key an SQL literal), all in a fixed order.
 */
function beginLocksFor(lock: number) {
  return (keys: readonly string[] | undefined, quote: (key: string) => string): string => {
    if (keys === undefined) return `SELECT pg_advisory_xact_lock(${WRITER_LOCK}, ${lock})`
    if (keys.length === 0) return `SELECT pg_advisory_xact_lock_shared(${WRITER_LOCK}, ${lock})`
    const list = [...new Set(keys)].sort().map(quote).join(', ')
    return `SELECT pg_advisory_xact_lock_shared(${WRITER_LOCK}, ${lock}), (SELECT count(pg_advisory_xact_lock(${lock}, hashtext(k))) FROM (SELECT DISTINCT unnest(ARRAY[${list}]::text[]) AS k ORDER BY 1) AS keys)`
  }
}

/** The keys' advisory locks (namespace: the schema's number), taken in one statement in a fixed order. */
const LOCK_KEYS = 'SELECT count(pg_advisory_xact_lock($1::int4, hashtext(k))) FROM (SELECT DISTINCT unnest($2::text[]) AS k ORDER BY 1) AS keys'

interface Scope {
  client: pg.PoolClient
  /** The transaction took the schema's lock exclusively: keys add nothing. */
  exclusive: boolean
}

/** A schema's lock number (32-bit), so that test schemas in one cluster do not wait for each other. */
function schemaLock(schema: string): number {
  let hash = 0
  for (const ch of schema) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0
  return hash
}

/** Numbers come back as numbers (COUNT is int8, SUM numeric) and flags as 0/1, as from SQLite. */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value)
    if (oid === 16) return (value: string) => (value === 't' ? 1 : 0)
    return pg.types.getTypeParser(oid, format)
  },
}

interface Converted {
  text: string
  /** Named parameters in `$n` order (empty for `?` placeholders). */
  names: string[]
}

const converted = new Map<string, Converted>()

/** `?` and `@name` placeholders (outside quotes) become `$1, $2, …`; a name used twice is one parameter. */
export function toPostgresPlaceholders(sql: string): Converted {
  const cached = converted.get(sql)
  if (cached !== undefined) return cached
  let text = ''
  let n = 0
  const names: string[] = []
  let quote: string | null = null
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]
    if (quote) {
      if (ch === quote) quote = null
      text += ch
    } else if (ch === "'" || ch === '"') {
      quote = ch
      text += ch
    } else if (ch === '?') {
      text += `$${++n}`
    } else if (ch === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0]
      let index = names.indexOf(name)
      if (index < 0) index = names.push(name) - 1
      text += `$${index + 1}`
      i += name.length
    } else {
      text += ch
    }
  }
  const result = { text, names }
  if (converted.size > 1000) converted.clear()
  converted.set(sql, result)
  return result
}

function values(names: string[], params: SqlParams): SqlValue[] {
  if (Array.isArray(params)) return params as SqlValue[]
  const named = params as Readonly<Record<string, SqlValue | undefined>>
  return names.map((name) => {
    const value = named[name]
    if (value === undefined) throw new Error(`Missing named parameter "${name}"`)
    return value
  })
}

export interface PostgresOptions {
  /** Tables live in this schema (created when missing); tests give each server its own. Default: public. */
  schema?: string
  /** Connections per process (default 10). */
  max?: number
}

export interface PostgresDb extends Db {
  readonly engine: 'postgres'
  readonly pool: pg.Pool
  readonly schema: string
}

/** A schema name that is safe to put in SQL unquoted. */
function checkSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid PostgreSQL schema name: ${schema}`)
  return schema
}

/** PostgreSQL through node-postgres: a pool per process; any number of processes may share the database. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PostgresDb> {
  const schema = checkSchema(options.schema ?? 'public')
  const max = options.max ?? 10
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: TYPES,
    options: `-c search_path=${schema}`,
    application_name: 'posm-workspace',
  })
  // an idle connection dropped by the server: the pool replaces it; never crash the process
  pool.on('error', () => undefined)
  if (schema !== 'public') await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)

  const scope = new AsyncLocalStorage<Scope>()
  const lock = schemaLock(schema)
  const beginLocks = beginLocksFor(lock)
  const query = async (sql: string, params: SqlParams) => {
    assertStorable(params)
    const client = scope.getStore()?.client ?? pool
    const { text, names } = toPostgresPlaceholders(sql)
    return client.query(text, values(names, params))
  }
  const lockKeys = async (current: Scope, keys: readonly string[]) => {
    if (current.exclusive || keys.length === 0) return
    await current.client.query(LOCK_KEYS, [lock, [...keys].sort()])
  }

  /** One attempt: BEGIN, the schema's lock (exclusive, or shared with the keys), `fn`, COMMIT. */
  const attempt = async <R>(fn: () => Promise<R>, keys: readonly string[] | undefined): Promise<R> => {
    const client = await pool.connect()
    let broken = false
    try {
      try {
        const current: Scope = { client, exclusive: keys === undefined }
        // BEGIN and the locks in one round trip (the simple protocol runs both; the keys as escaped literals)
        await client.query(`BEGIN; ${beginLocks(keys, (k) => client.escapeLiteral(k))}`)
        const result = await scope.run(current, fn)
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true
        })
        throw error
      }
    } finally {
      client.release(broken)
    }
  }

  return {
    engine: 'postgres',
    pool,
    schema,
    async all<T>(sql: string, params: SqlParams = []) {
      return (await query(sql, params)).rows as T[]
    },
    async get<T>(sql: string, params: SqlParams = []) {
      return (await query(sql, params)).rows[0] as T | undefined
    },
    async run(sql: string, params: SqlParams = []): Promise<RunResult> {
      return { changes: (await query(sql, params)).rowCount ?? 0 }
    },
    async exec(sql: string) {
      await (scope.getStore()?.client ?? pool).query(sql)
    },
    async transaction<R>(fn: () => Promise<R>, options?: TransactionOptions): Promise<R> {
      const current = scope.getStore()
      if (current) {
        if (options?.locks) await lockKeys(current, options.locks)
        return fn()
      }
      const keys = options?.locks
      for (let n = 1; ; n++) {
        try {
          return await attempt(fn, keys)
        } catch (error) {
          const code = (error as { code?: unknown } | null)?.code
          if (keys === undefined || n >= ATTEMPTS || typeof code !== 'string' || !RETRIED.has(code)) throw error
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * n))
        }
      }
    },
    async lock(keys: readonly string[]) {
      const current = scope.getStore()
      if (!current) throw new Error('db.lock outside a transaction')
      await lockKeys(current, keys)
    },
    inTransaction: () => scope.getStore() !== undefined,
    async close() {
      await pool.end()
    },
    poolStats: (): PoolStats => ({ max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  }
}
