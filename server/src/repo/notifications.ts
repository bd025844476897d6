import type { Db } from '../db'

export type NotificationStatus = 'PENDING' | 'SENDING' | 'SENT' | 'FAILED' | 'SKIPPED'

export interface NotificationRow {
  id: string
  event_key: string
  /** The recipient: a staff member, or (console_account_id) a console account. */
  staff_id: string | null
  console_account_id: string | null
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
  staffId: string | null
  consoleAccountId?: string | null
  kind: string
  params: Record<string, string>
  status: 'PENDING' | 'SKIPPED'
  lastError: string | null
  createdAt: string
}

export function createNotificationRepo(db: Db) {
  return {
    /** Records the event's notification; false when this event has one already (never two for one event). */
    insert: async (n: NewNotification): Promise<boolean> =>
      (
        await db.run(
          `INSERT INTO notifications (id, event_key, staff_id, console_account_id, kind, params_json, status, next_attempt_at, last_error, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          [n.id, n.eventKey, n.staffId, n.consoleAccountId ?? null, n.kind, JSON.stringify(n.params), n.status, n.createdAt, n.lastError, n.createdAt],
        )
      ).changes === 1,
    findById: (id: string): Promise<NotificationRow | undefined> => db.get<NotificationRow>('SELECT * FROM notifications WHERE id = ?', [id]),
    findByEvent: (eventKey: string): Promise<NotificationRow | undefined> =>
      db.get<NotificationRow>('SELECT * FROM notifications WHERE event_key = ?', [eventKey]),
    // due: waiting and its time has come, or claimed by a sender whose lease ran out (it stopped mid-way)
    due: (now: string, limit: number): Promise<NotificationRow[]> =>
      db.all<NotificationRow>(
        `SELECT * FROM notifications
         WHERE (status = 'PENDING' AND next_attempt_at <= ?) OR (status = 'SENDING' AND lease_until < ?)
         ORDER BY next_attempt_at, created_at, id LIMIT ?`,
        [now, now, limit],
      ),
    /** Takes the notification for one sender until `leaseUntil` (atomic); false when another sender has it. */
    claim: async (id: string, now: string, leaseUntil: string): Promise<boolean> =>
      (
        await db.run(
          `UPDATE notifications SET status = 'SENDING', lease_until = ?, attempts = attempts + 1
           WHERE id = ? AND (status = 'PENDING' OR (status = 'SENDING' AND lease_until < ?)) AND next_attempt_at <= ?`,
          [leaseUntil, id, now, now],
        )
      ).changes === 1,
    markSent: async (id: string, at: string, taskId: string): Promise<void> => {
      await db.run(
        `UPDATE notifications SET status = 'SENT', sent_at = ?, dingtalk_task_id = ?, lease_until = NULL, last_error = NULL WHERE id = ? AND status = 'SENDING'`,
        [at, taskId, id],
      )
    },
    reschedule: async (id: string, nextAttemptAt: string, error: string): Promise<void> => {
      await db.run(`UPDATE notifications SET status = 'PENDING', next_attempt_at = ?, last_error = ?, lease_until = NULL WHERE id = ? AND status = 'SENDING'`, [
        nextAttemptAt,
        error,
        id,
      ])
    },
    markFailed: async (id: string, error: string): Promise<void> => {
      await db.run(`UPDATE notifications SET status = 'FAILED', last_error = ?, lease_until = NULL WHERE id = ? AND status = 'SENDING'`, [error, id])
    },
    newest: (limit: number): Promise<NotificationWithStaffRow[]> =>
      db.all<NotificationWithStaffRow>(
        `SELECT n.*, COALESCE(s.name, a.name) AS staff_name FROM notifications n LEFT JOIN staff s ON s.id = n.staff_id
         LEFT JOIN console_accounts a ON a.id = n.console_account_id ORDER BY n.created_at DESC, n.id DESC LIMIT ?`,
        [limit],
      ),
    countsByStatus: async (): Promise<Partial<Record<NotificationStatus, number>>> =>
      Object.fromEntries(
        (await db.all<{ status: NotificationStatus; n: number }>('SELECT status, COUNT(*) AS n FROM notifications GROUP BY status')).map((r) => [
          r.status,
          r.n,
        ]),
      ),
  }
}

export type NotificationRepo = ReturnType<typeof createNotificationRepo>
