/**
 * Work notifications through a durable table. A decision writes its notification in its own transaction
 * (enqueue), so that the decision never waits for DingTalk and is never lost with it; a sender sends what is
 * due afterwards, one card per event (the event key is unique), claiming each row for a while so that two
 * senders never send the same one, and trying again with a growing pause when DingTalk is unreachable or
 * busy. A DingTalk outage delays notifications; it never blocks or undoes a decision. Every server process
 * sends (the claim keeps them from sending one notification twice).
 */
import { AsyncResource } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock'
import type { Db } from '../db'
import { DingTalkError, type DingTalkPort } from '../dingtalk/port'
import type { Repos } from '../repo'
import type { NotificationRow } from '../repo/notifications'
import type { Locale } from '../../../packages/contract/api'
import { LOCALES } from '../../../packages/contract/rules/locale'
import { renderCard, type NotificationEvent } from './messages'

export type NotificationLog = (level: 'info' | 'warn' | 'error', event: Record<string, unknown>, message: string) => void

export interface NotificationServiceDeps {
  repos: Repos
  /**
   * The database of `repos`: a notification enqueued inside a transaction is sent once that transaction has
   * ended. Without it (tests that dispatch themselves), a send soon after the decision may miss a notification
   * not yet committed, which then waits for the next round.
   */
  db?: Db
  clock: Clock
  /** null: DingTalk is not configured (development): notifications are recorded as skipped. */
  dingtalk: DingTalkPort | null
  log?: NotificationLog
  /** Send soon after each decision and every `pollMs` (default true). Tests drive dispatchDue() themselves. */
  autoDispatch?: boolean
  pollMs?: number
  /** The console's public address (CONSOLE_PUBLIC_URL): cards to console accounts open its pages. */
  consoleUrl?: string | null
}

/** How long a sender owns a claimed notification (a sender that stopped mid-way gives it up after this). */
const LEASE_MS = 60_000
/** Attempts before a notification is given up (about two hours of pauses). */
export const MAX_ATTEMPTS = 8
const BATCH = 20

/** The pause after the n-th failed attempt: 30 s, 1, 2, 4, 8, 16, 32 minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(attempts - 1, 0), 60 * 60_000)
}

export interface DispatchReport {
  sent: number
  retrying: number
  failed: number
}

export function createNotificationService({
  repos,
  db,
  clock,
  dingtalk,
  log = () => undefined,
  autoDispatch = true,
  pollMs = 5000,
  consoleUrl = null,
}: NotificationServiceDeps) {
  /**
   * The context the service was made in (outside any transaction). Sending runs in it: work started from
   * inside a decision's transaction must not join that transaction (its queries would run on the
   * transaction's connection, after it committed, inside whatever runs on that connection next).
   */
  const outside = new AsyncResource('posm-notifications')
  let running: Promise<DispatchReport> | null = null
  let again = false
  let timer: NodeJS.Timeout | null = null
  let stopped = false
  /** Set when DingTalk answered with its frequency limit: nothing is sent before then. */
  let pausedUntil = 0

  const iso = (ms: number) => new Date(ms).toISOString()

  /** Who a notification goes to: a staff member's or a console account's DingTalk user, and their language. */
  async function recipient(row: Pick<NotificationRow, 'staff_id' | 'console_account_id'>): Promise<{ userId: string; locale: Locale } | null> {
    const person = row.staff_id
      ? await repos.staff.findById(row.staff_id)
      : row.console_account_id
        ? await repos.consoleAccounts.findById(row.console_account_id)
        : undefined
    if (!person?.dingtalk_user_id) return null
    return { userId: person.dingtalk_user_id, locale: (LOCALES as readonly string[]).includes(person.locale ?? '') ? (person.locale as Locale) : 'en' }
  }

  async function sendOne(row: NotificationRow, report: DispatchReport): Promise<'ok' | 'pause'> {
    const now = clock.now().getTime()
    if (!(await repos.notifications.claim(row.id, iso(now), iso(now + LEASE_MS)))) return 'ok' // another sender has it
    const attempts = row.attempts + 1
    const to = await recipient(row)
    if (!dingtalk || !to) {
      await repos.notifications.markFailed(row.id, row.staff_id ? 'The staff member has no DingTalk account.' : 'The console account has no DingTalk user.')
      report.failed++
      return 'ok'
    }
    const event = { kind: row.kind, params: JSON.parse(row.params_json) } as NotificationEvent
    try {
      const taskId = await dingtalk.sendActionCard(to.userId, renderCard(event, to.locale, consoleUrl))
      await repos.notifications.markSent(row.id, clock.now().toISOString(), taskId)
      report.sent++
      return 'ok'
    } catch (error) {
      const kind = error instanceof DingTalkError ? error.kind : 'unavailable'
      const message = error instanceof DingTalkError ? error.message : 'The notification could not be sent.'
      // an unknown member or a refusal will not change by waiting; the rest (outage, limits, settings the
      // operator can fix) is tried again later
      if (kind === 'user-not-found' || kind === 'refused' || kind === 'code-invalid' || attempts >= MAX_ATTEMPTS) {
        await repos.notifications.markFailed(row.id, message)
        report.failed++
        log('error', { notification: row.id, event: row.event_key, attempts }, `Work notification given up: ${message}`)
        return 'ok'
      }
      await repos.notifications.reschedule(row.id, iso(clock.now().getTime() + retryDelayMs(attempts)), message)
      report.retrying++
      log('warn', { notification: row.id, event: row.event_key, attempts }, `Work notification not sent yet: ${message}`)
      if (kind === 'rate-limited') {
        pausedUntil = clock.now().getTime() + 5_000
        return 'pause'
      }
      return kind === 'unavailable' ? 'pause' : 'ok'
    }
  }

  async function runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retrying: 0, failed: 0 }
    if (!dingtalk) return report
    while (!stopped && clock.now().getTime() >= pausedUntil) {
      const due = await repos.notifications.due(clock.now().toISOString(), BATCH)
      if (due.length === 0) break
      let paused = false
      for (const row of due) {
        if ((await sendOne(row, report)) === 'pause') {
          // DingTalk is down or limiting us: the rest waits for the next round rather than failing one by one
          paused = true
          break
        }
      }
      if (paused) break
    }
    return report
  }

  /** Sends what is due (one sender at a time in this process; a call during a run makes it run once more). */
  function dispatchDue(): Promise<DispatchReport> {
    if (running) {
      again = true
      return running
    }
    running = outside
      .runInAsyncScope(async () => {
        const total: DispatchReport = { sent: 0, retrying: 0, failed: 0 }
        do {
          again = false
          const r = await runOnce()
          total.sent += r.sent
          total.retrying += r.retrying
          total.failed += r.failed
        } while (again && !stopped)
        return total
      })
      .finally(() => {
        running = null
      })
    return running
  }

  /** Sends soon; `afterTransaction`: once the caller's transaction has ended (enqueue runs inside it). */
  function kick(afterTransaction: boolean): void {
    if (!autoDispatch || !dingtalk || stopped) return
    outside.runInAsyncScope(() =>
      setImmediate(() => {
        if (stopped) return
        // write transactions are serialised: an empty one begins only after the caller's has committed
        const ended = afterTransaction && db ? db.transaction(async () => undefined) : Promise.resolve()
        ended
          .then(() => (stopped ? undefined : dispatchDue()))
          .catch((error: unknown) => log('error', { err: error }, 'Work notifications could not be dispatched'))
      }),
    )
  }

  return {
    /**
     * Records the notification of an event (call it inside the decision's transaction). One per event key:
     * a second call for the same event records nothing. Without DingTalk, or for a staff member who has no
     * DingTalk account (the seeded demo staff), it is recorded as skipped, for the console's log.
     */
    async enqueue(eventKey: string, staffId: string, event: NotificationEvent): Promise<void> {
      const staff = await repos.staff.findById(staffId)
      const skipped = !dingtalk
        ? 'DingTalk is not configured on this server (development mode).'
        : !staff?.dingtalk_user_id
          ? 'The staff member has no DingTalk account (a seeded demo staff member).'
          : null
      const params: Record<string, string> = {}
      for (const [k, v] of Object.entries(event.params)) params[k] = String(v)
      const inserted = await repos.notifications.insert({
        id: `ntf-${randomUUID()}`,
        eventKey,
        staffId,
        kind: event.kind,
        params,
        status: skipped ? 'SKIPPED' : 'PENDING',
        lastError: skipped,
        createdAt: clock.now().toISOString(),
      })
      if (inserted && !skipped) kick(db?.inTransaction() ?? false)
    },

    /**
     * The same for a console account (the deployment method's agreement). An account without a DingTalk user
     * is recorded as skipped, with the reason: the console shows the agreement's state in any case.
     */
    async enqueueForAccount(eventKey: string, accountId: string, event: NotificationEvent): Promise<void> {
      const to = await recipient({ staff_id: null, console_account_id: accountId })
      const skipped = !dingtalk
        ? 'DingTalk is not configured on this server (development mode).'
        : !to
          ? 'The console account has no DingTalk user (an administrator sets it in /console/method).'
          : null
      const params: Record<string, string> = {}
      for (const [k, v] of Object.entries(event.params)) params[k] = String(v)
      const inserted = await repos.notifications.insert({
        id: `ntf-${randomUUID()}`,
        eventKey,
        staffId: null,
        consoleAccountId: accountId,
        kind: event.kind,
        params,
        status: skipped ? 'SKIPPED' : 'PENDING',
        lastError: skipped,
        createdAt: clock.now().toISOString(),
      })
      if (inserted && !skipped) kick(db?.inTransaction() ?? false)
    },

    dispatchDue,

    /** Starts the periodic sender (retries wait for it). */
    start(): void {
      if (!autoDispatch || !dingtalk || timer) return
      timer = setInterval(() => {
        dispatchDue().catch((error: unknown) => log('error', { err: error }, 'Work notifications could not be dispatched'))
      }, pollMs)
      timer.unref()
      kick(false)
    },

    /** Stops sending; waits for a send under way. */
    async stop(): Promise<void> {
      stopped = true
      if (timer) clearInterval(timer)
      timer = null
      await running?.catch(() => undefined)
    },
  }
}

export type NotificationService = ReturnType<typeof createNotificationService>
