/**
 * The database port: the one interface every repository talks to, whichever engine is behind it.
 *
 * SQL is written once, in the dialect both engines share (`?` placeholders, `ON CONFLICT`, `RETURNING`,
 * `COALESCE`, `lower()`), and the whole server suite runs on both engines (npm test) to keep it honest.
 * Values are strings, numbers and null (times are ISO-8601 text in both engines, flags 0/1 integers).
 */
export type SqlValue = string | number | null

/** Positional (`?`) or named (`@name`) parameters. */
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue | undefined>>

export type Engine = 'sqlite' | 'postgres'

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number
}

/** The connections a database holds (metrics, server/src/metrics.ts). */
export interface PoolStats {
  /** Connections the process may open at most (SQLite: its one connection). */
  max: number
  /** Connections open now. */
  total: number
  /** Open and doing nothing. */
  idle: number
  /** Queries or transactions waiting for a connection (SQLite: for the write transaction in progress). */
  waiting: number
}

/**
 * What a write transaction protects, for PostgreSQL, where many processes write at once (README "Running at scale",
 * Replicas). SQLite ignores it: its one writer protects every rule already.
 */
export interface TransactionOptions {
  /**
   * The things the transaction's rules are about, as keys (`code:<Marketing Code>`, `photo:<sha256>`,
   * `promotion:<id>`, …): a transaction-scoped advisory lock per key, taken at once in a fixed order, so two
   * transactions with a key in common run one after the other and the others at the same time. An empty list:
   * nothing to protect beyond unique constraints. The function must have no effect outside the database: on a
   * deadlock or a serialization failure (40P01, 40001) the transaction is run again (a few times, with jitter).
   */
  locks?: readonly string[]
}

export interface Db {
  readonly engine: Engine
  /** Every row the query answers. */
  all<T>(sql: string, params?: SqlParams): Promise<T[]>
  /** The first row, or undefined. */
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>
  /** A statement that changes rows. */
  run(sql: string, params?: SqlParams): Promise<RunResult>
  /** Several statements without parameters (schema changes). */
  exec(sql: string): Promise<void>
  /**
   * Runs `fn` in one write transaction, committed when it resolves and rolled back when it throws. Queries made
   * inside `fn` (however deep, across awaits) run in the transaction; a nested call joins it (its `locks` are taken
   * in the joined transaction).
   *
   * Without `locks` the transaction runs alone: SQLite has one writer (BEGIN IMMEDIATE); PostgreSQL takes the
   * schema's advisory lock exclusively, across every server process. With `locks` (see TransactionOptions) it runs
   * beside other keyed transactions on PostgreSQL, and waits only for those holding one of its keys.
   */
  transaction<R>(fn: () => Promise<R>, options?: TransactionOptions): Promise<R>
  /**
   * Inside a keyed transaction, takes more keys (all at once, in a fixed order) once `fn` knows them (e.g. a
   * photo's content hash read from its upload). A no-op on SQLite and in an exclusive transaction.
   */
  lock(keys: readonly string[]): Promise<void>
  /** True inside `transaction`. */
  inTransaction(): boolean
  close(): Promise<void>
  /** How the connections are used now. */
  poolStats(): PoolStats
}

/** Is `error` a unique-constraint violation (either engine)? */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505'
}

/**
 * Text holding NUL, which PostgreSQL cannot store (error 22021): refused by both engines before the query runs, so
 * that the same request meets the same answer on either. A client's mistake: its statusCode makes it a 400.
 */
export class UnstorableTextError extends Error {
  readonly statusCode = 400
  readonly code = 'UNSTORABLE_TEXT'

  constructor() {
    super('The request holds a character the server cannot store (NUL).')
  }
}

/** Throws UnstorableTextError when a text parameter holds NUL. */
export function assertStorable(params: SqlParams): void {
  const values = Array.isArray(params) ? (params as readonly SqlValue[]) : Object.values(params as Record<string, SqlValue | undefined>)
  for (const value of values) if (typeof value === 'string' && value.includes('\u0000')) throw new UnstorableTextError()
}
