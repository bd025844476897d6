import type { Db } from '../db'

/** Who acted: a console account, or the command line (`npm run console:user`). */
export interface Actor {
  id: string
  name: string
  role: string
  /** The client address the action came from (request.ip: the real client behind TRUST_PROXY's proxies); absent: not a request. */
  address?: string | null
}

export interface AuditEntry {
  action: string
  subjectType: string
  subjectId: string
  isoId?: string | null
  before?: unknown
  after?: unknown
  reason?: string | null
}

export interface AuditRow {
  seq: number
  at: string
  actor_id: string
  actor_name: string
  actor_role: string
  /** Schema version 12 on: the client address (null for the command line, the server's own work and older entries). */
  actor_address: string | null
  action: string
  subject_type: string
  subject_id: string
  iso_id: string | null
  before_json: string | null
  after_json: string | null
  reason: string | null
}

export interface AuditFilter {
  actorId?: string
  action?: string
  subjectType?: string
  subjectId?: string
  isoId?: string
  /** YYYY-MM-DD, inclusive, UTC */
  from?: string
  to?: string
  /** Entries older than this seq (keyset paging, newest first). */
  beforeSeq?: number
  limit?: number
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value))

/** The append-only audit trail (the table refuses updates and deletes). */
export function createAuditRepo(db: Db) {
  return {
    /** Call inside the decision's transaction. */
    append: async (actor: Actor, at: string, e: AuditEntry): Promise<void> => {
      await db.run(
        `INSERT INTO audit_log (at, actor_id, actor_name, actor_role, actor_address, action, subject_type, subject_id, iso_id, before_json, after_json, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          at,
          actor.id,
          actor.name,
          actor.role,
          actor.address ?? null,
          e.action,
          e.subjectType,
          e.subjectId,
          e.isoId ?? null,
          json(e.before),
          json(e.after),
          e.reason ?? null,
        ],
      )
    },
    forSubject: (subjectType: string, subjectId: string): Promise<AuditRow[]> =>
      db.all<AuditRow>('SELECT * FROM audit_log WHERE subject_type = ? AND subject_id = ? ORDER BY seq', [subjectType, subjectId]),
    /** Newest first. */
    search: (f: AuditFilter): Promise<AuditRow[]> => {
      const where: string[] = []
      const args: (string | number)[] = []
      const eq = (column: string, value: string | undefined) => {
        if (value) {
          where.push(`${column} = ?`)
          args.push(value)
        }
      }
      eq('actor_id', f.actorId)
      eq('action', f.action)
      eq('subject_type', f.subjectType)
      eq('subject_id', f.subjectId)
      eq('iso_id', f.isoId)
      if (f.from) {
        where.push('at >= ?')
        args.push(`${f.from}T00:00:00.000Z`)
      }
      if (f.to) {
        where.push('at <= ?')
        args.push(`${f.to}T23:59:59.999Z`)
      }
      if (f.beforeSeq !== undefined) {
        where.push('seq < ?')
        args.push(f.beforeSeq)
      }
      const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`
      return db.all<AuditRow>(sql, [...args, Math.min(f.limit ?? 100, 10_000)])
    },
    /** The distinct actions recorded (for the filter's choices). */
    actions: async (): Promise<string[]> => (await db.all<{ action: string }>('SELECT DISTINCT action FROM audit_log ORDER BY action')).map((r) => r.action),
  }
}

export type AuditRepo = ReturnType<typeof createAuditRepo>
