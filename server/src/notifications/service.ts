/**
 * Work notifications through a durable table. A decision writes its notification in its own transaction
 * (enqueue), so that the decision never waits for DingTalk and is never lost with it; a sender sends what is
 * due afterwards, one card per event (the event key is unique), claiming each row for a while so that two
 * senders never send the same one, and trying again with a growing pause when DingTalk is unreachable or
 * busy. A DingTalk outage delays notifications; it never blocks or undoes a decision.
 */
import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock'
import { DingTalkError, type DingTalkPort } from '../dingtalk/port'
import type { Repos } from '../repo'
import type { NotificationRow } from '../repo/notifications'
import { renderCard, type NotificationEvent } from './messages'

export type NotificationLog = (level: 'info' | 'warn' | 'error', event: Record<string, unknown>, message: string) => void

export interface NotificationServiceDeps {
  repos: Repos
  clock: Clock
  /** null: DingTalk is not configured (development): notifications are recorded as skipped. */
  dingtalk: DingTalkPort | null
  log?: NotificationLog
  /** Send soon after each decision and every `pollMs` (default true). Tests drive dispatchDue() themselves. */
  autoDispatch?: boolean
  pollMs?: number
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

export function createNotificationService({ repos, clock, dingtalk, log = () => undefined, autoDispatch = true, pollMs = 5000 }: NotificationServiceDeps) {
  let running: Promise<DispatchReport> | null = null
  let again = false
  let timer: NodeJS.Timeout | null = null
  let stopped = false
  /** Set when DingTalk answered with its frequency limit: nothing is sent before then. */
  let pausedUntil = 0

  const iso = (ms: number) => new Date(ms).toISOString()

  async function sendOne(row: NotificationRow, report: DispatchReport): Promise<'ok' | 'pause'> {
    const now = clock.now().getTime()
    if (!repos.notifications.claim(row.id, iso(now), iso(now + LEASE_MS))) return 'ok' // another sender has it
    const attempts = row.attempts + 1
    const staff = repos.staff.findById(row.staff_id)
    if (!dingtalk || !staff?.dingtalk_user_id) {
      repos.notifications.markFailed(row.id, 'The staff member has no DingTalk account.')
      report.failed++
      return 'ok'
    }
    const event = { kind: row.kind, params: JSON.parse(row.params_json) } as NotificationEvent
    try {
      const taskId = await dingtalk.sendActionCard(staff.dingtalk_user_id, renderCard(event, staff.locale ?? 'en'))
      repos.notifications.markSent(row.id, clock.now().toISOString(), taskId)
      report.sent++
      return 'ok'
    } catch (error) {
      const kind = error instanceof DingTalkError ? error.kind : 'unavailable'
      const message = error instanceof DingTalkError ? error.message : 'The notification could not be sent.'
      // an unknown member or a refusal will not change by waiting; the rest (outage, limits, settings the
      // operator can fix) is tried again later
      if (kind === 'user-not-found' || kind === 'refused' || kind === 'code-invalid' || attempts >= MAX_ATTEMPTS) {
        repos.notifications.markFailed(row.id, message)
        report.failed++
        log('error', { notification: row.id, event: row.event_key, attempts }, `Work notification given up: ${message}`)
        return 'ok'
      }
      repos.notifications.reschedule(row.id, iso(clock.now().getTime() + retryDelayMs(attempts)), message)
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
      const due = repos.notifications.due(clock.now().toISOString(), BATCH)
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
    running = (async () => {
      const total: DispatchReport = { sent: 0, retrying: 0, failed: 0 }
      do {
        again = false
        const r = await runOnce()
        total.sent += r.sent
        total.retrying += r.retrying
        total.failed += r.failed
      } while (again && !stopped)
      return total
    })().finally(() => {
      running = null
    })
    return running
  }

  function kick(): void {
    if (!autoDispatch || !dingtalk || stopped) return
    // after the decision's transaction has committed (enqueue runs inside it)
    setImmediate(() => {
      dispatchDue().catch((error: unknown) => log('error', { err: error }, 'Work notifications could not be dispatched'))
    })
  }

  return {
    /**
     * Records the notification of an event (call it inside the decision's transaction). One per event key:
     * a second call for the same event records nothing. Without DingTalk, or for a staff member who has no
     * DingTalk account (the seeded demo staff), it is recorded as skipped, for the console's log.
     */
    enqueue(eventKey: string, staffId: string, event: NotificationEvent): void {
      const staff = repos.staff.findById(staffId)
      const skipped = !dingtalk
        ? 'DingTalk is not configured on this server (development mode).'
        : !staff?.dingtalk_user_id
          ? 'The staff member has no DingTalk account (a seeded demo staff member).'
          : null
      const params: Record<string, string> = {}
      for (const [k, v] of Object.entries(event.params)) params[k] = String(v)
      const inserted = repos.notifications.insert({
        id: `ntf-${randomUUID()}`,
        eventKey,
        staffId,
        kind: event.kind,
        params,
        status: skipped ? 'SKIPPED' : 'PENDING',
        lastError: skipped,
        createdAt: clock.now().toISOString(),
      })
      if (inserted && !skipped) kick()
    },

    dispatchDue,

    /** Starts the periodic sender (retries wait for it). */
    start(): void {
      if (!autoDispatch || !dingtalk || timer) return
      timer = setInterval(() => {
        dispatchDue().catch((error: unknown) => log('error', { err: error }, 'Work notifications could not be dispatched'))
      }, pollMs)
      timer.unref()
      kick()
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
