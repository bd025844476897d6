import { makeAutoObservable, remove, runInAction, toJS } from 'mobx'
import { ASSOCIATION_QR_PREFIX, type AssociationRequestInput, type AssociationState } from '../../packages/contract/api'
import type { ErrorCode } from '../../packages/contract/errors'
import { AssociationRequestSchema, validate } from '../../packages/contract/schemas'
import type { MessageKey } from '../i18n'
import type { ScanLabels, ScannerPort, StoragePort } from '../platform/types'
import { canConfirmJoin, canRequestAssociation, featuresUnlocked, parseAssociationQr } from '../../packages/contract/rules/association'
import { toApiError, type ApiClient } from '../services/api-client'
import type { SessionStore } from './session-store'

export type AssociationField = keyof AssociationRequestInput
export const ASSOCIATION_FIELDS: AssociationField[] = ['isoEmail', 'name', 'phone']
export const ASSOCIATION_DRAFT_KEY = 'posm.association.draft'

const EMPTY: AssociationRequestInput = { isoEmail: '', name: '', phone: '' }

/** The association with the staff member's ISO: its state, the request form, and joining Alipay Partners. */
export class AssociationStore {
  values: AssociationRequestInput = { ...EMPTY }
  /** Errors are shown for a field once it was left or a submit was tried. */
  touched: Record<AssociationField, boolean> = { isoEmail: false, name: false, phone: false }
  serverFieldErrors: Partial<Record<AssociationField, ErrorCode>> = {}
  formError: ErrorCode | null = null
  busy = false
  scannedIso = false

  constructor(
    private readonly api: ApiClient,
    private readonly session: SessionStore,
    private readonly scanner: ScannerPort,
    private readonly storage: StoragePort,
  ) {
    const draft = storage.get<AssociationRequestInput>(ASSOCIATION_DRAFT_KEY)
    if (draft) this.values = { ...EMPTY, ...draft }
    makeAutoObservable<this, 'api' | 'session' | 'scanner' | 'storage'>(this, {
      api: false,
      session: false,
      scanner: false,
      storage: false,
    })
  }

  get state(): AssociationState | null {
    return this.session.staff?.association ?? null
  }

  get status() {
    return this.state?.status ?? 'none'
  }

  get unlocked() {
    return featuresUnlocked(this.status)
  }

  get canRequest() {
    return canRequestAssociation(this.status)
  }

  get canJoin() {
    return canConfirmJoin(this.status)
  }

  /** The reason shown where promotion features are locked. */
  get lockReason(): MessageKey | null {
    return this.unlocked ? null : (`lock.${this.status}` as MessageKey)
  }

  /** Errors from the shared schema (the same rules the server applies). */
  get clientFieldErrors(): Partial<Record<AssociationField, ErrorCode>> {
    // the schema reads plain data (valibot's `in` on an observable needs a Proxy)
    const result = validate(AssociationRequestSchema, toJS(this.values))
    return result.ok ? {} : (result.fields as Partial<Record<AssociationField, ErrorCode>>)
  }

  /** The error to show beside a field, if any. */
  fieldError(field: AssociationField): ErrorCode | null {
    if (this.serverFieldErrors[field]) return this.serverFieldErrors[field] ?? null
    return this.touched[field] ? (this.clientFieldErrors[field] ?? null) : null
  }

  setField(field: AssociationField, value: string) {
    this.values[field] = value
    remove(this.serverFieldErrors, field)
    this.formError = null
    this.saveDraft()
  }

  touch(field: AssociationField) {
    this.touched[field] = true
  }

  /** After a rejection, the form starts from what was sent so that only the wrong part needs changing. */
  prefillFromRejected() {
    const req = this.state?.request
    if (this.status !== 'rejected' || !req) return
    const untouched = ASSOCIATION_FIELDS.every((f) => this.values[f] === '')
    if (untouched) this.values = { isoEmail: req.isoEmail, name: req.name, phone: req.phone }
  }

  async submit(): Promise<boolean> {
    if (this.busy) return false
    ASSOCIATION_FIELDS.forEach((f) => (this.touched[f] = true))
    this.serverFieldErrors = {}
    const result = validate(AssociationRequestSchema, toJS(this.values))
    if (!result.ok) {
      this.formError = 'VALIDATION_FAILED'
      return false
    }
    this.busy = true
    this.formError = null
    try {
      const state = await this.api.call('POST /api/association/requests', result.value)
      runInAction(() => {
        this.applyState(state)
        this.values = { ...EMPTY }
        this.touched = { isoEmail: false, name: false, phone: false }
        this.storage.remove(ASSOCIATION_DRAFT_KEY)
      })
      return true
    } catch (e) {
      const err = toApiError(e)
      runInAction(() => {
        this.formError = err.code
        if (err.fields) this.serverFieldErrors = err.fields as Partial<Record<AssociationField, ErrorCode>>
      })
      return false
    } finally {
      runInAction(() => (this.busy = false))
    }
  }

  async refresh() {
    try {
      const state = await this.api.call('GET /api/association')
      runInAction(() => {
        this.applyState(state)
        this.formError = null
      })
    } catch (e) {
      runInAction(() => (this.formError = toApiError(e).code))
    }
  }

  /** The staff member accepted the Org invitation in DingTalk and joined Alipay Partners. */
  async confirmJoined() {
    if (this.busy) return
    this.busy = true
    try {
      const state = await this.api.call('POST /api/association/join', {})
      runInAction(() => {
        this.applyState(state)
        this.formError = null
      })
    } catch (e) {
      runInAction(() => (this.formError = toApiError(e).code))
    } finally {
      runInAction(() => (this.busy = false))
    }
  }

  /** The page was opened from the ISO's QR code. */
  markScanned() {
    this.scannedIso = true
  }

  /** Scans the ISO's QR code; answers whether it was an association code. */
  async scanIsoQr(labels: ScanLabels): Promise<boolean | null> {
    let text: string | null
    try {
      text = await this.scanner.scan(labels)
    } catch (e) {
      // the scanner failed (a cancel answers null): said on the form
      runInAction(() => (this.formError = toApiError(e).code))
      return null
    }
    if (text === null) return null
    const parsed = parseAssociationQr(text, ASSOCIATION_QR_PREFIX)
    runInAction(() => {
      this.scannedIso = parsed !== null
      this.formError = parsed ? null : 'QR_NOT_ASSOCIATION'
    })
    return parsed !== null
  }

  private applyState(state: AssociationState) {
    const staff = this.session.staff
    if (staff) this.session.setProfile({ ...staff, association: state })
  }

  private saveDraft() {
    try {
      this.storage.set(ASSOCIATION_DRAFT_KEY, toJS(this.values))
    } catch {
      // storage full: the typed values stay in memory
    }
  }
}
