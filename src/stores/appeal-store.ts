import { makeAutoObservable, observable, remove, flow, set, toJS } from 'mobx'
import type { ErrorCode } from '../../packages/contract/errors'
import type { PromotionDetail } from '../../packages/contract/results'
import { AppealSchema, validate } from '../../packages/contract/schemas'
import type { StoragePort } from '../platform/types'
import type { PhotoRef } from '../rules/promotion-draft'
import { pendingQualityIssue, type PhotoCheckRef } from '../rules/photo-ref'
import type { PhotoChecker } from '../services/photo-checker'
import { toApiError } from '../services/api-client'
import { newId } from '../services/ids'
import type { PhotoService } from '../services/photo-service'
import type { OutboxStore } from './outbox-store'
import { awaited } from './awaited'

interface AppealDraft {
  clientId: string
  reason: string
  photos: PhotoRef[]
}

const key = (promotionId: string) => `posm.appeal.${promotionId}`
export const MAX_APPEAL_PHOTOS = 5

/**
 * Appeal: a written reason (required, length-limited) and optional new photos for a rejected store or
 * spot; the submission stays as it is. Typed text is kept on the device until sent; sending goes through
 * the outbox like every submission (idempotent, retried, never lost).
 */
export class AppealStore {
  /** The forms and their errors by promotion (maps: their keys come and go). */
  forms = observable.map<string, AppealDraft>()
  errors = observable.map<string, Partial<Record<'reason' | 'photos', ErrorCode>>>()

  constructor(
    private readonly storage: StoragePort,
    private readonly photos: PhotoService,
    private readonly outbox: OutboxStore,
    /** Issue 26: uploads a photo right after capture (when online) for the server's check; absent: no check at capture. */
    private readonly checker?: PhotoChecker,
  ) {
    makeAutoObservable<this, 'storage' | 'photos' | 'outbox' | 'checker'>(
      this,
      { storage: false, photos: false, outbox: false, checker: false },
      { autoBind: true },
    )
  }

  /** A photo's check is under way (its upload right after capture). */
  get checkingPhotos(): boolean {
    return (this.checker?.checking ?? 0) > 0
  }

  form(promotionId: string): AppealDraft {
    const kept = this.forms.get(promotionId)
    if (kept) return kept
    this.forms.set(promotionId, this.storage.get<AppealDraft>(key(promotionId)) ?? { clientId: newId('a'), reason: '', photos: [] })
    // the map's observable copy, which is the one edited from now on
    return this.forms.get(promotionId) as AppealDraft
  }

  error(promotionId: string, field: 'reason' | 'photos'): ErrorCode | null {
    return this.errors.get(promotionId)?.[field] ?? null
  }

  setReason(promotionId: string, reason: string) {
    this.form(promotionId).reason = reason
    const errors = this.errors.get(promotionId)
    if (errors) remove(errors, 'reason')
    this.save(promotionId)
  }

  addPhoto = flow(function* (this: AppealStore, promotionId: string, title: string) {
    if (this.form(promotionId).photos.length >= MAX_APPEAL_PHOTOS) return
    let photo: PhotoRef | null
    try {
      photo = yield* awaited(this.photos.take(title))
    } catch (e) {
      // the camera failed or the photo could not be kept on the phone: said at the photos
      this.errors.set(promotionId, { ...this.errors.get(promotionId), photos: toApiError(e).code })
      return
    }
    if (!photo) return
    this.form(promotionId).photos.push(photo)
    const errors = this.errors.get(promotionId)
    if (errors) remove(errors, 'photos')
    this.save(promotionId)
    yield* awaited(this.checkPhoto(promotionId, photo))
  })

  /**
   * Issue 26: the server's check of a photo just taken (uploaded at once when online; offline the outbox's upload
   * answers it), placed on the photo if it is still in the form; a refusal of the upload is shown at the photos.
   */
  private checkPhoto = flow(function* (this: AppealStore, promotionId: string, photo: PhotoRef) {
    if (!this.checker) return
    let check: PhotoCheckRef | null
    try {
      check = yield* awaited(this.checker.check(photo, 'appeal'))
    } catch (e) {
      this.errors.set(promotionId, { ...this.errors.get(promotionId), photos: toApiError(e).code })
      return
    }
    if (!check) return
    const answer = check
    const current = this.form(promotionId).photos.find((p) => p.localPath === photo.localPath)
    // mobx's set: a photo kept before the check existed has no such key
    if (current) set(current, 'check', answer)
    this.save(promotionId)
  })

  /** Keep anyway: the staff member saw the check's warning at this photo and keeps it (sent with the appeal). */
  keepPhotoAnyway(promotionId: string, index: number) {
    const photo = this.form(promotionId).photos[index]
    if (!photo) return
    set(photo, 'keptAnyway', true)
    if (!this.form(promotionId).photos.some((p) => pendingQualityIssue(p))) {
      const errors = this.errors.get(promotionId)
      if (errors) remove(errors, 'photos')
    }
    this.save(promotionId)
  }

  removePhoto(promotionId: string, index: number) {
    const [removed] = this.form(promotionId).photos.splice(index, 1)
    this.save(promotionId)
    // not queued yet (the form goes once submitted): its saved file is freed
    if (removed) void this.photos.forget(removed.localPath)
  }

  /** Queues the appeal; answers false (with the field errors) when the reason is not acceptable. */
  submit(promotion: PromotionDetail): boolean {
    const form = this.form(promotion.id)
    const payload = { clientId: form.clientId, reason: form.reason, photoIds: form.photos.map((p) => p.localPath) }
    const check = validate(AppealSchema, { ...payload, photoIds: form.photos.map(() => 'local') })
    // issue 26: a photo the check found too dark, overexposed or blurred: Retake (remove, add) or Keep anyway first
    const poor = form.photos.some((p) => pendingQualityIssue(p))
    if (!check.ok || poor) {
      this.errors.set(promotion.id, {
        reason: check.ok ? undefined : check.fields.reason,
        photos: poor ? 'PHOTO_QUALITY' : check.ok ? undefined : check.fields.photoIds,
      })
      return false
    }
    this.outbox.submit({
      draftId: `appeal:${promotion.id}:${form.clientId}`,
      label: promotion.store.name,
      product: promotion.product,
      payload: { ...payload, reason: form.reason.trim() },
      photos: toJS(form.photos),
      kind: 'appeal',
      targetId: promotion.id,
    })
    this.forms.delete(promotion.id)
    this.storage.remove(key(promotion.id))
    return true
  }

  private save(promotionId: string) {
    try {
      this.storage.set(key(promotionId), toJS(this.forms.get(promotionId)))
    } catch {
      // storage full: the form stays in memory (the drafts page says so)
    }
  }
}
