import { makeAutoObservable, toJS } from 'mobx'
import type { DeploymentMethod } from '../../packages/contract/api'
import type { ProductKind, PromotionView } from '../../packages/contract/promotion'
import { StorageQuotaError, type FilesPort, type StoragePort } from '../platform/types'
import { PAYMENT_MODES } from '../../packages/contract/rules/payment'
import { draftFromPromotion, draftPhotos, newDraft, type PhotoRef, type PromotionDraft } from '../rules/promotion-draft'
import { uploadIdOf } from '../rules/photo-ref'
import { newId } from '../services/ids'

export const DRAFT_INDEX_KEY = 'posm.drafts'
export const draftKey = (id: string) => `posm.draft.${id}`

/**
 * Promotions in preparation, kept on the device: every change is saved at once (paths and metadata only,
 * one storage key per draft to stay far below the platform's per-key limit), so that after the app is
 * killed the staff member resumes exactly where they were. Several drafts can exist side by side.
 */
export class DraftsStore {
  drafts: PromotionDraft[] = []
  /** Set when the device's storage is full: the draft stays in memory and the person is told. */
  storageFull = false
  /** Keys whose last write did not fit. */
  private unsaved = new Set<string>()

  constructor(
    private readonly storage: StoragePort,
    private readonly files: FilesPort,
    private readonly now: () => Date = () => new Date(),
  ) {
    const ids = storage.get<string[]>(DRAFT_INDEX_KEY) ?? []
    for (const id of ids) {
      const draft = storage.get<PromotionDraft>(draftKey(id))
      if (draft) this.drafts.push(draft)
    }
    makeAutoObservable<this, 'storage' | 'files' | 'now' | 'unsaved'>(this, { storage: false, files: false, now: false, unsaved: false })
  }

  get sorted(): PromotionDraft[] {
    return [...this.drafts].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
  }

  get(id: string): PromotionDraft | null {
    return this.drafts.find((d) => d.id === id) ?? null
  }

  create(product: ProductKind, method: DeploymentMethod): PromotionDraft {
    const draft = newDraft(newId('d'), newId('c'), product, method, this.now().toISOString())
    this.drafts.push(draft)
    this.save(draft.id)
    this.saveIndex()
    return this.get(draft.id) as PromotionDraft
  }

  /** Modify: a draft copy of a submitted promotion (one per promotion: an existing copy is reopened). */
  createModify(promotion: PromotionView): PromotionDraft {
    const existing = this.drafts.find((d) => d.modifyOf === promotion.id)
    if (existing) return existing
    const draft = draftFromPromotion(newId('d'), newId('c'), promotion, this.now().toISOString())
    this.drafts.push(draft)
    this.save(draft.id)
    this.saveIndex()
    return this.get(draft.id) as PromotionDraft
  }

  /** Applies a change to a draft and saves it at once. */
  update(id: string, change: (draft: PromotionDraft) => void) {
    const draft = this.get(id)
    if (!draft) return
    change(draft)
    draft.updatedAt = this.now().toISOString()
    this.save(id)
  }

  /** Removes a draft; its photos go too unless `keepPhotos` (they still travel in the outbox). */
  discard(id: string, keepPhotos = false) {
    const draft = this.get(id)
    if (!draft) return
    this.drafts = this.drafts.filter((d) => d.id !== id)
    this.storage.remove(draftKey(id))
    this.unsaved.delete(draftKey(id))
    this.saveIndex()
    // payment evidence was uploaded when verified and never travels in the outbox: it always goes
    const evidence = PAYMENT_MODES.map((m) => draft.payment[m].photo).filter((p): p is PhotoRef => p !== null)
    for (const photo of evidence) void this.files.remove(photo.localPath)
    if (!keepPhotos) for (const photo of draftPhotos(draft)) if (uploadIdOf(photo.localPath) === null) void this.files.remove(photo.localPath)
  }

  private save(id: string) {
    const draft = this.get(id)
    if (!draft) return
    this.write(draftKey(id), toJS(draft))
  }

  private saveIndex() {
    this.write(
      DRAFT_INDEX_KEY,
      this.drafts.map((d) => d.id),
    )
  }

  private write(key: string, value: unknown) {
    try {
      this.storage.set(key, value)
      this.unsaved.delete(key)
    } catch (error) {
      if (!(error instanceof StorageQuotaError)) throw error
      this.unsaved.add(key)
    }
    this.storageFull = this.unsaved.size > 0
  }
}
