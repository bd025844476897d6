import { makeObservable, observable, runInAction, when } from 'mobx'
import type { ErrorCode } from '../../packages/contract/errors'
import type { UploadView } from '../../packages/contract/promotion'
import type { UploadPurpose } from '../../packages/contract/photo-check'
import { uploadFields, uploadIdOf, type PhotoCheckRef, type PhotoRef } from '../rules/photo-ref'
import { toApiError, type ApiClient } from './api-client'

/** The server's check of an upload as the photo keeps it. */
export function toCheckRef(view: UploadView): PhotoCheckRef {
  const ref: PhotoCheckRef = { uploadId: view.id, issue: view.check?.issue ?? null, codes: view.check?.codes ?? [] }
  return view.check?.qrChecked === false ? { ...ref, qrChecked: false } : ref
}

/** Failures after which the photo simply waits for the outbox (which uploads it with the submission). */
const LATER: readonly ErrorCode[] = ['NETWORK', 'TIMEOUT', 'SERVER', 'UNAUTHORIZED', 'SESSION_EXPIRED', 'RATE_LIMITED']

/**
 * Issue 26: a storefront or spot photo is uploaded right after capture when the phone is online, so that the
 * server's check (too dark, overexposed, blurred; the QR codes in it) is shown at the photo at once. The upload's
 * id travels with the photo (PhotoRef.check) and the outbox reuses it. Offline, nothing happens here: the
 * outbox uploads the photo when it sends the submission and gets the same answer then.
 */
export class PhotoChecker {
  /** Uploads under way: a wizard's Next waits for their answers. */
  checking = 0

  constructor(
    private readonly api: ApiClient,
    private readonly online: () => boolean,
  ) {
    makeObservable(this, { checking: observable })
  }

  /** Resolves once no check is under way. */
  whenChecked(): Promise<void> {
    return when(() => this.checking === 0)
  }

  /**
   * The server's check of a photo on the device; null when offline or the upload must wait (the outbox sends
   * it later). A refusal (e.g. PHOTO_REPEATED, NOT_AN_IMAGE) is thrown, to be shown at the photo.
   */
  async check(photo: PhotoRef, purpose: UploadPurpose): Promise<PhotoCheckRef | null> {
    if (!this.online() || uploadIdOf(photo.localPath) !== null) return null
    runInAction(() => this.checking++)
    try {
      return toCheckRef(await this.api.upload(photo.localPath, uploadFields(photo, purpose)))
    } catch (error) {
      const err = toApiError(error)
      if (LATER.includes(err.code)) return null
      throw err
    } finally {
      runInAction(() => this.checking--)
    }
  }
}
