import { makeAutoObservable, remove, flow, toJS } from 'mobx'
import { ASSOCIATION_PAGE, ASSOCIATION_QR_PREFIX, type AssociationRequestInput, type AssociationState } from '../../packages/contract/api'
import type { ErrorCode } from '../../packages/contract/errors'
import { AssociationRequestSchema, validate } from '../../packages/contract/schemas'
import type { MessageKey } from '../i18n'
import type { ScanLabels, ScannerPort, StoragePort } from '../platform/types'
import { canConfirmJoin, canRequestAssociation, featuresUnlocked, parseAssociationQr } from '../../packages/contract/rules/association'
import { requestIdOf, toApiError, type ApiClient } from '../services/api-client'
import type { SessionStore } from './session-store'
import { awaited } from './awaited'

export type AssociationField = 'isoEmail' | 'name' | 'phone'
export const ASSOCIATION_FIELDS: AssociationField[] = ['isoEmail', 'name', 'phone']
export const ASSOCIATION_DRAFT_KEY = 'posm.association.draft'
/** The ISO of the QR code scanned, kept with the draft (the request goes to that ISO). */
export const ASSOCIATION_SCANNED_KEY = 'posm.association.scannedIso'
/** Check again on show: at most once a minute. */
export const CHECK_AGAIN_INTERVAL_MS = 60_000

type FieldValues = Record<AssociationField, string>
const EMPTY: FieldValues = { isoEmail: '', name: '', phone: '' }

/** The ISO a scanned QR code names, as the server knows it. */
export interface ScannedIso {
  id: string
  name: string
}

/** The association with the staff member's ISO: its state, the request form, and joining Alipay Partners. */
export class AssociationStore {
  values: FieldValues = { ...EMPTY }
  /** Errors are shown for a field once it was left or a submit was tried. */
  touched: Record<AssociationField, boolean> = { isoEmail: false, name: false, phone: false }
  serverFieldErrors: Partial<Record<AssociationField, ErrorCode>> = {}
  formError: ErrorCode | null = null
  /** The server's id of the request behind `formError` (shown under it, for staff to quote to support). */
  formErrorRequestId: string | null = null
  busy = false
  /** An association QR code was scanned (or opened this page); `scannedIso`: the ISO it named, once known. */
  scanned = false
  scannedIso: ScannedIso | null = null
  checking = false
  private lastCheckAt = -Infinity

  constructor(
    private readonly api: ApiClient,
    private readonly session: SessionStore,
    private readonly scanner: ScannerPort,
    private readonly storage: StoragePort,
    private readonly now: () => number = () => Date.now(),
  ) {
    const draft = storage.get<FieldValues>(ASSOCIATION_DRAFT_KEY)
    if (draft) this.values = { isoEmail: draft.isoEmail ?? '', name: draft.name ?? '', phone: draft.phone ?? '' }
    const iso = storage.get<ScannedIso>(ASSOCIATION_SCANNED_KEY)
    if (iso && typeof iso.id === 'string' && typeof iso.name === 'string') {
      this.scannedIso = iso
      this.scanned = true
    }
    makeAutoObservable<this, 'api' | 'session' | 'scanner' | 'storage' | 'now' | 'lastCheckAt'>(
      this,
      {
        api: false,
        session: false,
        scanner: false,
        storage: false,
        now: false,
        lastCheckAt: false,
      },
      { autoBind: true },
    )
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
    this.setFormError(null)
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

  /** The form's message, with the request id of the server's refusal behind it (none for the app's own checks). */
  private setFormError(code: ErrorCode | null, cause?: unknown) {
    this.formError = code
    this.formErrorRequestId = code === null ? null : requestIdOf(cause)
  }

  submit = flow(function* (this: AssociationStore) {
    if (this.busy) return false
    ASSOCIATION_FIELDS.forEach((f) => (this.touched[f] = true))
    this.serverFieldErrors = {}
    const result = validate(AssociationRequestSchema, toJS(this.values))
    if (!result.ok) {
      this.setFormError('VALIDATION_FAILED')
      return false
    }
    this.busy = true
    this.setFormError(null)
    try {
      // the ISO of the QR code scanned: the server checks the ISO Email against it
      const body: AssociationRequestInput = this.scannedIso ? { ...result.value, isoId: this.scannedIso.id } : result.value
      const state = yield* awaited(this.api.call('POST /api/association/requests', body))
      this.applyState(state)
      this.values = { ...EMPTY }
      this.touched = { isoEmail: false, name: false, phone: false }
      this.storage.remove(ASSOCIATION_DRAFT_KEY)
      this.forgetScan()
      return true
    } catch (e) {
      const err = toApiError(e)
      this.setFormError(err.code, err)
      if (err.fields) this.serverFieldErrors = err.fields as Partial<Record<AssociationField, ErrorCode>>
      return false
    } finally {
      this.busy = false
    }
  })

  refresh = flow(function* (this: AssociationStore) {
    try {
      const state = yield* awaited(this.api.call('GET /api/association'))
      this.applyState(state)
      this.setFormError(null)
    } catch (e) {
      this.setFormError(toApiError(e).code, e)
    }
  })

  /** The staff member accepted the Org invitation in DingTalk and joined Alipay Partners. */
  confirmJoined = flow(function* (this: AssociationStore) {
    if (this.busy) return
    this.busy = true
    try {
      const state = yield* awaited(this.api.call('POST /api/association/join', {}))
      this.applyState(state)
      this.setFormError(null)
    } catch (e) {
      this.setFormError(toApiError(e).code, e)
    } finally {
      this.busy = false
    }
  })

  /**
   * Check again: the server asks DingTalk once more whether the staff member joined (the organisation, the ISO's
   * department), without signing out. `onShow` (the home page): at most once a minute, and only while not
   * associated. Answers whether the server was asked.
   */
  checkAgain = flow(function* (this: AssociationStore, onShow = false) {
    if (this.checking || this.unlocked) return false
    if (onShow && this.now() - this.lastCheckAt < CHECK_AGAIN_INTERVAL_MS) return false
    this.lastCheckAt = this.now()
    this.checking = true
    try {
      const state = yield* awaited(this.api.call('POST /api/association/check', {}))
      this.applyState(state)
      this.setFormError(null)
      return true
    } catch (e) {
      // on show, a failure says nothing unasked-for; the button shows it
      if (!onShow) this.setFormError(toApiError(e).code, e)
      return true
    } finally {
      this.checking = false
    }
  })

  /** The page was opened from the ISO's QR code (DingTalk's scanner: `?iso=<id>`). */
  async markScanned(isoId?: string | null): Promise<void> {
    this.scanned = true
    if (isoId) await this.fixIso(isoId)
  }

  /** The request's ISO, as the QR code named it: its name from the server (ISO_UNKNOWN when there is none). */
  private fixIso = flow(function* (this: AssociationStore, isoId: string) {
    try {
      const iso = yield* awaited(this.api.call('GET /api/association/iso', undefined, { id: isoId }))
      this.scannedIso = { id: iso.id, name: iso.name }
      this.setFormError(null)
      remove(this.serverFieldErrors, 'isoEmail')
      this.storage.set(ASSOCIATION_SCANNED_KEY, { id: iso.id, name: iso.name })
      return true
    } catch (e) {
      const code = toApiError(e).code
      this.setFormError(code === 'NOT_FOUND' ? 'ISO_UNKNOWN' : code, e)
      return false
    }
  })

  private forgetScan() {
    this.scannedIso = null
    this.scanned = false
    this.storage.remove(ASSOCIATION_SCANNED_KEY)
  }

  /** Scans the ISO's QR code (the DingTalk link or the first codes' text); answers whether it was an association code. */
  scanIsoQr = flow(function* (this: AssociationStore, labels: ScanLabels) {
    let text: string | null
    try {
      text = yield* awaited(this.scanner.scan(labels))
    } catch (e) {
      // the scanner failed (a cancel answers null): said on the form
      this.setFormError(toApiError(e).code, e)
      return null
    }
    if (text === null) return null
    const parsed = parseAssociationQr(text, ASSOCIATION_QR_PREFIX, ASSOCIATION_PAGE)
    this.scanned = parsed !== null
    this.setFormError(parsed ? null : 'QR_NOT_ASSOCIATION')
    if (parsed?.isoId) return this.fixIso(parsed.isoId)
    return parsed !== null
  })

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
