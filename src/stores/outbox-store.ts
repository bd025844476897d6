import { flow, makeAutoObservable, observable, set, toJS } from 'mobx'
import type { ErrorCode } from '../../packages/contract/errors'
import type { ProductKind, PromotionCreate } from '../../packages/contract/promotion'
import type { ResubmissionInput } from '../../packages/contract/results'
import { StorageQuotaError, type FilesPort, type NetworkPort, type StoragePort } from '../platform/types'
import { pendingQualityIssue, photoPurpose, uploadFields, uploadIdOf, type PhotoCheckRef, type PhotoRef } from '../rules/photo-ref'
import { toCheckRef } from '../services/photo-checker'
import { ApiError, requestIdOf, toApiError, type ApiClient } from '../services/api-client'
import { newId } from '../services/ids'
import { awaited } from './awaited'
import { outboxItem, restoreOutboxItem, unreachable, type KeptOutboxItem, type OutboxItem, type OutboxSubmission } from './outbox-item'

export type { OutboxItem, OutboxKind, OutboxPayload, OutboxStatus, OutboxSubmission } from './outbox-item'

/**
 * The outbox on the device: one storage key per waiting item (with the upload ids of its photos) and a short
 * list of their ids, so that no key comes near DingTalk's limit of 200 × 1024 characters for one value
 * (`dd.setStorage`, page 0626-dd-setstorage.md) however many submissions wait. Of the items the server accepted
 * only the latest KEPT_SENT stay (so that a reopened wizard still says "submitted"); older ones leave storage.
 */
export const KEPT_SENT = 20
export const OUTBOX_INDEX_KEY = 'posm.outbox.ids'
export const outboxItemKey = (id: string) => `posm.outbox.item.${id}`
/** Before: every item in one key, and every upload id in another; read once and moved to the layout above. */
export const LEGACY_OUTBOX_KEY = 'posm.outbox'
export const LEGACY_UPLOADS_KEY = 'posm.uploads'

/** What one item's key holds: the item (as the version that wrote it kept it) and the upload ids of its photos already on the server. */
export interface StoredOutboxItem {
  item: KeptOutboxItem
  uploads: Record<string, string>
}

export interface OutboxOptions {
  now?: () => number
  /** Delay before attempt n+1 (ms). */
  backoff?: (attempts: number) => number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  /** Called once an item was accepted by the server. */
  onSent?: (item: OutboxItem) => void
  /** Issue 26: the server checked a photo the outbox uploaded (offline at capture): the draft learns the answer. */
  onPhotoChecked?: (item: OutboxItem, localPath: string, check: PhotoCheckRef) => void
}

const TRANSIENT: ErrorCode[] = ['NETWORK', 'TIMEOUT', 'SERVER', 'UNAUTHORIZED', 'SESSION_EXPIRED', 'RATE_LIMITED']

/**
 * Kept items the server never saw, held on the phone until the staff member acts: a photo whose file is
 * gone (PHOTO_LOST: retake it in the draft; never retried by itself) or the app's settings refused by
 * DingTalk (CONFIGURATION: Retry once the ISO had it fixed), or a photo the server's check found too dark,
 * overexposed or blurred that the staff member has not answered (PHOTO_QUALITY: Retake or Keep anyway in the draft).
 */
export const HELD_ON_DEVICE: readonly ErrorCode[] = ['PHOTO_LOST', 'CONFIGURATION', 'PHOTO_QUALITY']

/** Whether an item waits for the staff member on the phone rather than for the server. */
export function isHeldOnDevice(item: Pick<OutboxItem, 'status' | 'lastError'>): boolean {
  return item.status === 'refused' && item.lastError !== null && HELD_ON_DEVICE.includes(item.lastError)
}

/**
 * Submissions and their photos, on their way to the server. Photos are uploaded first (each once: the
 * upload id is remembered per photo), then the submission with its idempotency key. Network failures and
 * 5xx wait and retry with backoff, and everything waits while offline; a refusal (4xx) is kept with its
 * reason and never blocks the items behind it. Nothing is dropped: items live in storage until sent.
 */
export class OutboxStore {
  items: OutboxItem[] = []
  /** Upload ids of photos already on the server, by local path (a map: its keys come and go). */
  uploads = observable.map<string, string>()
  online = true
  storageFull = false
  private running = false
  private timer: unknown = null
  /** Keys whose last write did not fit (storageFull while any is left). */
  private unsaved = new Set<string>()
  private readonly now: () => number
  private readonly backoff: (attempts: number) => number

  constructor(
    private readonly api: ApiClient,
    private readonly storage: StoragePort,
    private readonly files: FilesPort,
    network: NetworkPort,
    private readonly options: OutboxOptions = {},
  ) {
    this.now = options.now ?? (() => Date.now())
    this.backoff = options.backoff ?? ((n) => Math.min(2000 * 2 ** Math.max(n - 1, 0), 60000))
    // an item that was being sent when the app stopped is simply sent again (idempotent); every key an item
    // can have is there from the start (MobX without Proxy sees no key added later), whichever version kept it
    const { stored, legacy } = loadStored(storage)
    this.items = stored.map(({ item }) => restoreOutboxItem(item))
    for (const { uploads } of stored) for (const path of Object.keys(uploads)) this.uploads.set(path, uploads[path])
    const dropped = this.prune()
    // the ports, the options and the timer are no state of the outbox: not observed
    makeAutoObservable<this, 'api' | 'storage' | 'files' | 'options' | 'running' | 'timer' | 'now' | 'backoff' | 'unsaved'>(
      this,
      { unsaved: false, api: false, storage: false, files: false, options: false, running: false, timer: false, now: false, backoff: false },
      { autoBind: true },
    )
    if (legacy) this.moveFromLegacy()
    else if (dropped.length > 0) for (const id of dropped) this.forget(id)
    // at start the items wait for a signed-in session (the root store's retryAll); a network coming back sends them
    void network.isOnline().then(this.setOnline)
    network.onChange(this.networkChanged)
  }

  setOnline(online: boolean) {
    this.online = online
  }

  /** The network came or went: everything waits while offline, and may go once it is back. */
  networkChanged(online: boolean) {
    this.online = online
    if (online) this.retryAll()
  }

  get waiting(): OutboxItem[] {
    return this.items.filter((i) => i.status !== 'sent')
  }

  get pendingCount(): number {
    return this.items.filter((i) => i.status === 'pending' || i.status === 'sending').length
  }

  forDraft(draftId: string): OutboxItem | null {
    return this.items.find((i) => i.draftId === draftId) ?? null
  }

  uploadedCount(item: OutboxItem): number {
    return item.photos.filter((p) => this.uploads.has(p.localPath)).length
  }

  /**
   * Queues a submission, or updates the queued one of the same draft (after an edit): one item per draft
   * and one idempotency key per promotion, so a double tap or a resend never makes a second one.
   */
  submit(input: OutboxSubmission & { draftId: string; label: string; product: ProductKind; photos: PhotoRef[] }) {
    const existing = this.forDraft(input.draftId)
    if (existing && (existing.status === 'sending' || existing.status === 'sent')) return existing
    // a photo's check that the outbox learnt (offline at capture) stays with the photo
    const checks = new Map((existing?.photos ?? []).map((p) => [p.localPath, p.check ?? null]))
    const queued = outboxItem(input, {
      // queued again after an edit: the same item (its id, idempotency key and age), sent afresh
      id: existing?.id ?? newId('o'),
      draftId: input.draftId,
      clientId: existing?.clientId ?? input.payload.clientId,
      label: input.label,
      product: existing?.product ?? input.product,
      photos: input.photos.map((p) => {
        const learnt = checks.get(p.localPath)
        return p.check || !learnt ? p : { ...p, check: learnt }
      }),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: this.now(),
      lastError: null,
      lastErrorRequestId: null,
      lastErrorFields: null,
      createdAt: existing?.createdAt ?? new Date(this.now()).toISOString(),
    })
    if (existing) this.items[this.items.indexOf(existing)] = queued
    else this.items.push(queued)
    this.persist(queued)
    if (!existing) this.persistIndex()
    void this.flush()
    return this.forDraft(input.draftId)
  }

  /** The Retry button: try this item now. */
  retry(id: string) {
    const item = this.items.find((i) => i.id === id)
    if (!item || item.status === 'sent' || item.status === 'sending') return
    item.status = 'pending'
    item.nextAttemptAt = this.now()
    this.persist(item)
    void this.flush()
  }

  /**
   * Keep anyway for every photo of a held item that the check warned about, then sends it again: an appeal
   * has no form to go back to once queued (a promotion's or inspection's draft has Keep anyway at the photo).
   */
  keepPhotosAnyway(id: string) {
    const item = this.items.find((i) => i.id === id)
    if (!item || item.lastError !== 'PHOTO_QUALITY') return
    // mobx's set: a photo kept before the choice existed has no such key
    for (const photo of item.photos) if (pendingQualityIssue(photo)) set(photo, 'keptAnyway', true)
    this.retry(id)
  }

  /** The network came back, or the app started: every waiting item may go now. */
  retryAll() {
    for (const item of this.items) if (item.status === 'pending') item.nextAttemptAt = this.now()
    void this.flush()
  }

  /** Forgets a refused item whose draft was discarded. */
  remove(id: string) {
    this.items = this.items.filter((i) => i.id !== id)
    this.forget(id)
  }

  /** Sends every due item, one at a time, oldest first; refused items are skipped, never in the way. */
  flush = flow(function* (this: OutboxStore) {
    // offline: everything waits; the network coming back calls retryAll
    if (this.running || !this.online) return
    this.running = true
    try {
      for (;;) {
        const now = this.now()
        const item = this.items.find((i) => i.status === 'pending' && i.nextAttemptAt <= now)
        if (!item) break
        yield* awaited(this.send(item))
      }
    } finally {
      this.running = false
      this.schedule()
    }
  })

  private schedule() {
    if (this.timer !== null) (this.options.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>)
    this.timer = null
    const due = this.items.filter((i) => i.status === 'pending').map((i) => i.nextAttemptAt)
    if (due.length === 0) return
    const wait = Math.max(0, Math.min(...due) - this.now())
    this.timer = (this.options.setTimer ?? setTimeout)(() => {
      this.timer = null
      void this.flush()
    }, wait)
  }

  private send = flow(function* (this: OutboxStore, item: OutboxItem) {
    item.status = 'sending'
    item.attempts += 1
    this.persist(item)
    try {
      for (const photo of item.photos) {
        if (this.uploads.has(photo.localPath)) continue
        // a photo that is already on the server (a Modify copy of a submission), or uploaded at capture for its check
        const onServer = uploadIdOf(photo.localPath) ?? photo.check?.uploadId ?? null
        if (onServer !== null) {
          this.uploads.set(photo.localPath, onServer)
          continue
        }
        try {
          const uploaded = yield* awaited(this.api.upload(photo.localPath, uploadFields(photo, photoPurpose(item.kind, photoField(item, photo.localPath)))))
          const check: PhotoCheckRef = toCheckRef(uploaded)
          this.uploads.set(photo.localPath, uploaded.id)
          // mobx's set: an item kept before the check existed has no such key
          set(photo, 'check', check)
          this.persist(item)
          this.options.onPhotoChecked?.(item, photo.localPath, check)
        } catch (error) {
          const err = toApiError(error)
          if (!TRANSIENT.includes(err.code)) err.fields = { [photoField(item, photo.localPath)]: err.code }
          throw err
        }
      }
      // issue 26: a photo the check found too dark, overexposed or blurred waits for Retake or Keep anyway
      const poor: Record<string, ErrorCode> = {}
      for (const photo of item.photos) if (pendingQualityIssue(photo)) poor[photoField(item, photo.localPath)] = 'PHOTO_QUALITY'
      if (Object.keys(poor).length > 0) {
        throw new ApiError('PHOTO_QUALITY', 0, poor)
      }
      const keepAnswer = yield* awaited(this.post(item))
      item.status = 'sent'
      keepAnswer()
      item.lastError = null
      item.lastErrorRequestId = null
      item.lastErrorFields = null
      this.persist(item)
      // accepted: the server has it now; only the latest few accepted items stay on the device
      for (const id of this.prune()) this.forget(id)
      for (const photo of item.photos) {
        // a photo already on the server (Modify) is no file of the device
        if (uploadIdOf(photo.localPath) === null) void this.files.remove(photo.localPath)
      }
      this.options.onSent?.(item)
    } catch (error) {
      const err = toApiError(error)
      item.lastError = err.code
      item.lastErrorRequestId = requestIdOf(err)
      if (TRANSIENT.includes(err.code)) {
        item.status = 'pending'
        // a 429 says how long to wait: never sooner than that
        item.nextAttemptAt = this.now() + Math.max(this.backoff(item.attempts), err.retryAfterMs ?? 0)
      } else {
        item.status = 'refused'
        item.lastErrorFields = err.fields ?? null
      }
      this.persist(item)
    }
  })

  /**
   * Sends the item to its kind's endpoint; answers how to keep the server's answer on the item (done together
   * with `sent`): a promotion for a first submission, its whole detail for a Modify or an Appeal
   * (packages/contract/api.ts), the task for an inspection.
   */
  private async post(item: OutboxItem): Promise<() => void> {
    const id = (path: string) => this.uploads.get(path) ?? path
    // issue 26: the photos kept after the check's warning (a promotion's payload names its own)
    const keptIds = item.photos.filter((p) => p.keptAnyway && p.check?.issue).map((p) => id(p.localPath))
    const kept = keptIds.length > 0 ? { keptPhotoIds: keptIds } : {}
    switch (item.kind) {
      case 'inspection': {
        const result = item.payload
        const task = await this.api.call(
          'POST /api/inspections/:id/submissions',
          {
            ...result,
            store: { ...result.store, storefrontPhotoId: id(result.store.storefrontPhotoId) },
            spots: result.spots.map((s) => ({ ...s, photoId: id(s.photoId) })),
            ...kept,
          },
          { id: item.targetId },
        )
        return () => (item.task = task)
      }
      case 'appeal': {
        const appeal = item.payload
        const detail = await this.api.call('POST /api/promotions/:id/appeals', { ...appeal, photoIds: appeal.photoIds.map(id), ...kept }, { id: item.targetId })
        return () => (item.promotion = detail)
      }
      case 'resubmission': {
        const detail = await this.api.call('POST /api/promotions/:id/resubmissions', withUploadIds(item.payload, this.uploads), { id: item.targetId })
        return () => (item.promotion = detail)
      }
      case 'promotion': {
        const promotion = await this.api.call('POST /api/promotions', withUploadIds(item.payload, this.uploads))
        return () => (item.promotion = promotion)
      }
      default:
        return unreachable(item)
    }
  }

  /** Saves one item (with the upload ids of its photos) under its own key. */
  private persist(item: OutboxItem) {
    const uploads: Record<string, string> = {}
    for (const photo of item.photos) {
      const id = this.uploads.get(photo.localPath)
      if (id !== undefined) uploads[photo.localPath] = id
    }
    const stored: StoredOutboxItem = { item: toJS(item), uploads }
    this.write(outboxItemKey(item.id), stored)
  }

  /** The ids of the items on the device, in order. */
  private persistIndex() {
    this.write(
      OUTBOX_INDEX_KEY,
      this.items.map((i) => i.id),
    )
  }

  /** Drops the accepted items beyond the latest KEPT_SENT from memory; answers their ids (for their keys to go). */
  private prune(): string[] {
    const sent = this.items.filter((i) => i.status === 'sent').sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    const dropped = sent.slice(KEPT_SENT).map((i) => i.id)
    if (dropped.length > 0) this.items = this.items.filter((i) => !dropped.includes(i.id))
    return dropped
  }

  /** An item leaves storage: its key and its id in the list. */
  private forget(id: string) {
    this.storage.remove(outboxItemKey(id))
    this.unsaved.delete(outboxItemKey(id))
    this.persistIndex()
  }

  /** The one-key outbox of an earlier version, moved to a key per item; the old keys go once all is written. */
  private moveFromLegacy() {
    for (const item of this.items) this.persist(item)
    this.persistIndex()
    if (this.unsaved.size > 0) return // read again from the old keys at the next start
    this.storage.remove(LEGACY_OUTBOX_KEY)
    this.storage.remove(LEGACY_UPLOADS_KEY)
  }

  /** A write that does not fit (or fails) is remembered and told (storageFull): the item stays in memory and is still sent. */
  private write(key: string, value: unknown) {
    try {
      this.storage.set(key, value)
      this.unsaved.delete(key)
    } catch (error) {
      if (!(error instanceof StorageQuotaError)) throw error
      this.unsaved.add(key)
    }
    const full = this.unsaved.size > 0
    if (this.storageFull !== full) this.storageFull = full
  }
}

/** The items on the device: from the key-per-item layout, or once from the one-key layout of an earlier version. */
function loadStored(storage: StoragePort): { stored: StoredOutboxItem[]; legacy: boolean } {
  const legacyItems = storage.get<KeptOutboxItem[]>(LEGACY_OUTBOX_KEY)
  if (Array.isArray(legacyItems)) {
    const legacyUploads = storage.get<Record<string, string>>(LEGACY_UPLOADS_KEY) ?? {}
    const stored = legacyItems.map((item) => {
      const uploads: Record<string, string> = {}
      for (const photo of item.photos) if (legacyUploads[photo.localPath] !== undefined) uploads[photo.localPath] = legacyUploads[photo.localPath]
      return { item, uploads }
    })
    return { stored, legacy: true }
  }
  const ids = storage.get<string[]>(OUTBOX_INDEX_KEY) ?? []
  const stored: StoredOutboxItem[] = []
  for (const id of ids) {
    const one = storage.get<StoredOutboxItem>(outboxItemKey(id))
    if (one && one.item) stored.push({ item: one.item, uploads: one.uploads ?? {} })
  }
  return { stored, legacy: false }
}

/** The submission with upload ids in place of local paths. */
export function withUploadIds<P extends PromotionCreate | ResubmissionInput>(payload: P, uploads: ReadonlyMap<string, string>): P {
  const id = (path: string) => uploads.get(path) ?? path
  return {
    ...payload,
    store: { ...payload.store, storefrontPhotoId: id(payload.store.storefrontPhotoId) },
    spots: payload.spots.map((s) => ({ ...s, photoId: id(s.photoId) })),
    ...(payload.keptPhotoIds ? { keptPhotoIds: payload.keptPhotoIds.map(id) } : {}),
  }
}

/** The form field a photo belongs to, so that a refusal is shown next to it (the item's kind says what its payload is). */
function photoField(item: OutboxItem, path: string): string {
  if (item.kind === 'appeal') return 'photoIds'
  const payload = item.payload
  if (payload.store.storefrontPhotoId === path) return 'store.storefrontPhotoId'
  const i = payload.spots.findIndex((s) => s.photoId === path)
  return i >= 0 ? `spots.${i}.photoId` : '_'
}
