/**
 * Issue 26: inspection and appeal photos are checked at capture like the promotion wizard's. A photo is uploaded
 * right after capture (online) with its purpose; a dark, overexposed or blurred one is warned at the photo and
 * keeps the step (or the appeal) until Retake or Keep anyway, which is sent with the submission; an inspection's
 * Marketing Code spot photo is compared with the code scanned on the material. An appeal held by the outbox for
 * a poor photo (taken offline) can be kept anyway from the outbox: never stuck, never lost.
 */
import { runInAction } from 'mobx'
import { json } from '../helpers/fake-platform'
import { BOUND_CODES, codeUrl, expectNext, fillInspectionSpots, fillInspectionStore, FIXED_NOW, inspectionRoot, labels, openTask } from '../helpers/inspection'
import { settle } from '../helpers/promotion'
import { PROMOTION_ID, rejectedDetail, resultsRoot } from '../helpers/results'

/** The server's upload answer with a check: `issue` (null: fine) and the QR codes read. */
const checked =
  (id: string, issue: 'DARK' | 'OVEREXPOSED' | 'BLURRED' | null, codes: string[] = []) =>
  () =>
    json(201, {
      id,
      sha256: `sha-${id}`,
      size: 1000,
      mime: 'image/jpeg',
      takenAt: FIXED_NOW.toISOString(),
      location: null,
      createdAt: FIXED_NOW.toISOString(),
      check: { issue, brightness: issue === 'DARK' ? 20 : 128, overexposed: 0, sharpness: 900, codes, qrChecked: true },
    })

const REASON = 'The storefront photo was taken in the rain; the sign is readable.'

describe('inspection photos checked at capture', () => {
  it('a dark storefront photo is warned at once and keeps the store step until Keep anyway, which is sent with the result', async () => {
    const env = await inspectionRoot()
    env.server.once('UPLOAD', checked('u-dark', 'DARK'))
    const wizard = openTask(env)
    await fillInspectionStore(wizard)
    expect(env.server.uploads.map((u) => u.formData?.purpose)).toEqual(['inspection-storefront'])
    expect(wizard.draft.store.storefrontPhoto?.check).toEqual({ uploadId: 'u-dark', issue: 'DARK', codes: [] })
    expect(wizard.next()).toBe(false)
    expect(wizard.fieldError('store.storefrontPhotoId')).toBe('PHOTO_QUALITY')
    expect(env.root.i18n.t('photoCheck.DARK')).toMatch(/too dark/)

    wizard.keepPhotoAnyway('store.storefrontPhotoId')
    expect(wizard.fieldError('store.storefrontPhotoId')).toBeNull()
    expectNext(wizard)
    await fillInspectionSpots(env, wizard)
    expect(env.server.uploads.map((u) => u.formData?.purpose)).toEqual(['inspection-storefront', 'inspection-spot', 'inspection-spot'])
    expectNext(wizard)
    for (const mode of ['MPM', 'UPM'] as const) {
      wizard.payment.setReference(mode, 'AP202611250000001234')
      await wizard.payment.takePhoto(mode, 'Payment result')
      await wizard.payment.verify(mode)
    }
    expectNext(wizard)
    expect(wizard.submit()).toBe(true)
    await settle()
    const [sent] = env.server.submissionBodies
    expect(sent.body.store.storefrontPhotoId).toBe('u-dark')
    expect(sent.body.keptPhotoIds).toEqual(['u-dark'])
  })

  it('a blurred spot photo keeps the spots step; the photo of a Marketing Code is compared with the code scanned', async () => {
    const env = await inspectionRoot()
    const wizard = openTask(env)
    await fillInspectionStore(wizard)
    expectNext(wizard)
    wizard.setCondition(0, 'PRESENT')
    env.platform.scanner.scan.mockResolvedValueOnce(codeUrl(BOUND_CODES[0]))
    await wizard.scanSpotCode(0, labels)
    env.server.once('UPLOAD', checked('u-blurred', 'BLURRED', [codeUrl(BOUND_CODES[1])]))
    await wizard.takeSpotPhoto(0, 'Spot')
    expect(wizard.codeInPhoto(0)).toBe('DIFFERENT')
    expect(env.root.i18n.t('photoCheck.codeDIFFERENT')).toMatch(/does not show the code you scanned/)
    expect(wizard.next()).toBe(false)
    expect(wizard.fieldError('spots.0.photoId')).toBe('PHOTO_QUALITY')

    // Retake: a sharp photo showing the scanned code
    env.server.once('UPLOAD', checked('u-sharp', null, [codeUrl(BOUND_CODES[0])]))
    await wizard.takeSpotPhoto(0, 'Spot')
    expect(wizard.codeInPhoto(0)).toBe('MATCH')
    expect(wizard.fieldError('spots.0.photoId')).toBeNull()
  })
})

describe('appeal photos checked at capture', () => {
  it('a dark photo is warned, holds the appeal until Keep anyway, which is sent with it', async () => {
    const env = await resultsRoot()
    const { appeals } = env.root
    appeals.setReason(PROMOTION_ID, REASON)
    env.server.once('UPLOAD', checked('u-dark', 'DARK'))
    await appeals.addPhoto(PROMOTION_ID, 'Photo')
    expect(env.server.uploads.map((u) => u.formData?.purpose)).toEqual(['appeal'])
    expect(appeals.form(PROMOTION_ID).photos[0].check).toEqual({ uploadId: 'u-dark', issue: 'DARK', codes: [] })

    expect(appeals.submit(rejectedDetail())).toBe(false)
    expect(appeals.error(PROMOTION_ID, 'photos')).toBe('PHOTO_QUALITY')
    expect(env.root.outbox.items).toEqual([])

    appeals.keepPhotoAnyway(PROMOTION_ID, 0)
    expect(appeals.error(PROMOTION_ID, 'photos')).toBeNull()
    expect(appeals.submit(rejectedDetail())).toBe(true)
    await settle()
    // the capture's upload reused: nothing uploaded again
    expect(env.server.uploads).toHaveLength(1)
    expect(env.results.appealBodies[0]).toMatchObject({ photoIds: ['u-dark'], keptPhotoIds: ['u-dark'] })
  })

  it('taken offline: the outbox holds the appeal at the poor photo; Keep anyway from the outbox sends it', async () => {
    const env = await resultsRoot()
    const { appeals, outbox } = env.root
    runInAction(() => (outbox.online = false))
    appeals.setReason(PROMOTION_ID, REASON)
    await appeals.addPhoto(PROMOTION_ID, 'Photo')
    expect(env.server.uploads).toEqual([])
    expect(appeals.submit(rejectedDetail())).toBe(true)

    env.server.once('UPLOAD', checked('u-blurred', 'BLURRED'))
    runInAction(() => (outbox.online = true))
    outbox.retryAll()
    await settle()
    const [item] = outbox.items
    expect(item).toMatchObject({ kind: 'appeal', status: 'refused', lastError: 'PHOTO_QUALITY' })
    expect(env.results.appealBodies).toEqual([])

    outbox.keepPhotosAnyway(item.id)
    await settle()
    expect(outbox.items[0].status).toBe('sent')
    expect(env.results.appealBodies[0]).toMatchObject({ photoIds: ['u-blurred'], keptPhotoIds: ['u-blurred'] })
    expect(env.server.uploads).toHaveLength(1)
  })
})
