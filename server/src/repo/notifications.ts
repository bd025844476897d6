import type { Db } from '../db'

export type NotificationStatus = 'PENDING' | 'SENDING' | 'SENT' | 'FAILED' | 'SKIPPED'

export interface NotificationRow {
  id: string
  event_key: string
  staff_id: string
  kind: string
  params_json: string
  status: NotificationStatus
  attempts: number
  next_attempt_at: string
  lease_until: string | null
  last_error: string | null
  dingtalk_task_id: string | null
  created_at: string
  sent_at: string | null
}

export interface NotificationWithStaffRow extends NotificationRow {
  staff_name: string | null
}

export interface NewNotification {
  id: string
  eventKey: string
  staffId: string
  kind: string
  params: Record<string, string>
  status: 'PENDING' | 'SKIPPED'
  lastError: string | null
  createdAt: string
}

export function createNotificationRepo(db: Db) {
  const insert = db.prepare<[string, string, string, string, string, string, string, string | null, string]>(
    `INSERT OR IGNORE INTO notifications (id, event_key, staff_id, kind, params_json, status, next_attempt_at, last_error, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const byId = db.prepare<[string], NotificationRow>('SELECT * FROM notifications WHERE id = ?')
  const byEvent = db.prepare<[string], NotificationRow>('SELECT * FROM notifications WHERE event_key = ?')
  // due: waiting and its time has come, or claimed by a sender whose lease ran out (it stopped mid-way)
  const due = db.prepare<[string, string, number], NotificationRow>(
    `SELECT * FROM notifications
     WHERE (status = 'PENDING' AND next_attempt_at <= ?) OR (status = 'SENDING' AND lease_until < ?)
     ORDER BY next_attempt_at, created_at, id LIMIT ?`,
  )
  const claim = db.prepare<[string, string, string, string]>(
    `UPDATE notifications SET status = 'SENDING', lease_until = ?, attempts = attempts + 1
     WHERE id = ? AND (status = 'PENDING' OR (status = 'SENDING' AND lease_until < ?)) AND next_attempt_at <= ?`,
  )
  const sent = db.prepare<[string, string, string]>(
    `UPDATE notifications SET status = 'SENT', sent_at = ?, dingtalk_task_id = ?, lease_until = NULL, last_error = NULL WHERE id = ? AND status = 'SENDING'`,
  )
  const retry = db.prepare<[string, string, string]>(
    `UPDATE notifications SET status = 'PENDING', next_attempt_at = ?, last_error = ?, lease_until = NULL WHERE id = ? AND status = 'SENDING'`,
  )
  const failed = db.prepare<[string, string]>(
    `UPDATE notifications SET status = 'FAILED', last_error = ?, lease_until = NULL WHERE id = ? AND status = 'SENDING'`,
  )
  const newest = db.prepare<[number], NotificationWithStaffRow>(
    `SELECT n.*, s.name AS staff_name FROM notifications n LEFT JOIN staff s ON s.id = n.staff_id ORDER BY n.created_at DESC, n.id DESC LIMIT ?`,
  )
  const counts = db.prepare<[], { status: NotificationStatus; n: number }>('SELECT status, COUNT(*) AS n FROM notifications GROUP BY status')

  return {
    /** Records the event's notification; false when this event has one already (never two for one event). */
    insert: (n: NewNotification): boolean =>
      insert.run(n.id, n.eventKey, n.staffId, n.kind, JSON.stringify(n.params), n.status, n.createdAt, n.lastError, n.createdAt).changes === 1,
    findById: (id: string): NotificationRow | undefined => byId.get(id),
    findByEvent: (eventKey: string): NotificationRow | undefined => byEvent.get(eventKey),
    due: (now: string, limit: number): NotificationRow[] => due.all(now, now, limit),
    /** Takes the notification for one sender until `leaseUntil` (atomic); false when another sender has it. */
    claim: (id: string, now: string, leaseUntil: string): boolean => claim.run(leaseUntil, id, now, now).changes === 1,
    markSent: (id: string, at: string, taskId: string): void => {
      sent.run(at, taskId, id)
    },
    reschedule: (id: string, nextAttemptAt: string, error: string): void => {
      retry.run(nextAttemptAt, error, id)
    },
    markFailed: (id: string, error: string): void => {
      failed.run(error, id)
    },
    newest: (limit: number): NotificationWithStaffRow[] => newest.all(limit),
    countsByStatus: (): Partial<Record<NotificationStatus, number>> => Object.fromEntries(counts.all().map((r) => [r.status, r.n])),
  }
}

export type NotificationRepo = ReturnType<typeof createNotificationRepo>
