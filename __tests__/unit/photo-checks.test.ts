/**
 * Issue 26, items 1 and 3 in the app: a storefront or spot photo is uploaded right after capture (online) and the
 * server's check is shown at the photo at once; a poor photo keeps the step from being left until Retake or Keep
 * anyway; Keep anyway is sent with the submission; the outbox reuses the capture's upload. Offline, the outbox's
 * upload gets the check and an unanswered poor photo holds the item at that photo (kept, fixable, never lost).
 * A Marketing Code spot's photo is compared with the scanned code.
 */
import { runInAction, toJS } from 'mobx'
import { isHeldOnDevice } from '../../src/stores/outbox-store'
import { json } from '../helpers/fake-platform'
import {
  codeUrl,
  fillMerchant,
  fillSpots,
  fillStore,
  FIXED_NOW,
  labels,
  promotionRoot,
  settle,
  spotCode,
  startWizard,
  type PromotionEnv,
} from '../helpers/promotion'

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
      check: { issue, brightness: issue === 'DARK' ? 20 : 128, overexposed: 0, sharpness: 900, codes },
    })

const uploadsOf = (env: PromotionEnv) => env.server.log.filter((l) => l.startsWith('upload '))
const setOnline = (env: PromotionEnv, online: boolean) => runInAction(() => (env.root.outbox.online = online))

async function onStore() {
  const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
  const wizard = startWizard(env, 'MARKETING_CODE')
  return { env, wizard }
}

describe('photo quality at capture (online)', () => {
  it('a dark storefront photo is warned at once; Next is refused at the photo until Keep anyway, which is sent with the submission', async () => {
    const { env, wizard } = await onStore()
    env.server.once('UPLOAD', checked('u-dark', 'DARK'))
    await fillStore(wizard)
    // uploaded right after capture: the check is on the photo at once
    const photo = wizard.draft.store.storefrontPhoto
    expect(photo?.check).toEqual({ uploadId: 'u-dark', issue: 'DARK', codes: [] })
    expect(uploadsOf(env)).toEqual([`upload ${photo?.localPath}`])

    expect(await wizard.advance()).toBe(false)
    expect(wizard.state).toBe('store')
    expect(wizard.fieldError('store.storefrontPhotoId')).toBe('PHOTO_QUALITY')
    expect(env.root.i18n.t('error.PHOTO_QUALITY')).toMatch(/too dark, overexposed or blurred/)
    expect(env.root.i18n.t('photoCheck.DARK')).toMatch(/too dark/)

    wizard.keepPhotoAnyway('store.storefrontPhotoId')
    expect(wizard.fieldError('store.storefrontPhotoId')).toBeNull()
    expect(wizard.draft.store.storefrontPhoto?.keptAnyway).toBe(true)
    expect(await wizard.advance()).toBe(true)

    await fillSpots(env, wizard)
    expect(wizard.next()).toBe(true)
    fillMerchant(wizard)
    expect(wizard.next()).toBe(true)
    env.server.log.length = 0
    expect(wizard.submit()).toBe(true)
    await settle()
    // the outbox reused every capture upload: nothing uploaded again
    expect(env.server.log).toEqual(['POST /api/promotions', 'GET /api/promotions'])
    const [body] = env.server.promotionBodies
    expect(body.store.storefrontPhotoId).toBe('u-dark')
    expect(body.keptPhotoIds).toEqual(['u-dark'])
    expect(wizard.state).toBe('submitted')
  })

  it('Retake replaces a blurred photo: the new one is checked, the step may be left, nothing is marked kept', async () => {
    const { env, wizard } = await onStore()
    env.server.once('UPLOAD', checked('u-blurred', 'BLURRED'))
    await fillStore(wizard)
    expect(wizard.draft.store.storefrontPhoto?.check?.issue).toBe('BLURRED')
    env.server.once('UPLOAD', checked('u-sharp', null))
    await wizard.takeStorefrontPhoto('Storefront')
    expect(wizard.draft.store.storefrontPhoto?.check).toEqual({ uploadId: 'u-sharp', issue: null, codes: [] })
    expect(await wizard.advance()).toBe(true)
    await fillSpots(env, wizard)
    wizard.next()
    fillMerchant(wizard)
    wizard.next()
    wizard.submit()
    await settle()
    expect(env.server.promotionBodies[0].store.storefrontPhotoId).toBe('u-sharp')
    expect(env.server.promotionBodies[0]).not.toHaveProperty('keptPhotoIds')
  })

  it('a spot photo that is too bright keeps the spots step until answered', async () => {
    const { env, wizard } = await onStore()
    await fillStore(wizard)
    expect(wizard.next()).toBe(true)
    env.server.once('UPLOAD', checked('u-bright', 'OVEREXPOSED'))
    await fillSpots(env, wizard)
    expect(await wizard.advance()).toBe(false)
    expect(wizard.fieldError('spots.0.photoId')).toBe('PHOTO_QUALITY')
    wizard.keepPhotoAnyway('spots.0.photoId')
    expect(await wizard.advance()).toBe(true)
  })
})

describe('photo quality offline: the outbox gets the answer', () => {
  it('a dark photo taken offline holds the item at that photo; Keep anyway sends it without uploading again', async () => {
    const { env, wizard } = await onStore()
    setOnline(env, false)
    await fillStore(wizard)
    expect(wizard.draft.store.storefrontPhoto?.check).toBeUndefined()
    expect(uploadsOf(env)).toEqual([])
    wizard.next()
    await fillSpots(env, wizard)
    wizard.next()
    fillMerchant(wizard)
    wizard.next()
    expect(wizard.submit()).toBe(true)
    const storefront = wizard.draft.store.storefrontPhoto?.localPath as string

    env.server.once('UPLOAD', checked('u-dark', 'DARK'))
    setOnline(env, true)
    env.root.outbox.retryAll()
    await settle()
    const item = env.root.outbox.forDraft(wizard.draftId)
    expect(item).toMatchObject({ status: 'refused', lastError: 'PHOTO_QUALITY', lastErrorFields: { 'store.storefrontPhotoId': 'PHOTO_QUALITY' } })
    expect(item && isHeldOnDevice(item)).toBe(true)
    expect(env.server.log).not.toContain('POST /api/promotions')
    // kept: the draft and its photo are there, and the draft learnt the check
    expect(wizard.state).toBe('refused')
    expect(wizard.draft.store.storefrontPhoto).toMatchObject({ localPath: storefront, check: { uploadId: 'u-dark', issue: 'DARK' } })
    expect(env.platform.files.remove).not.toHaveBeenCalledWith(storefront)

    // back into the form: the reason at the photo; Keep anyway; Submit again
    expect(wizard.back()).toBe(true)
    expect(wizard.fieldError('store.storefrontPhotoId')).toBe('PHOTO_QUALITY')
    wizard.keepPhotoAnyway('store.storefrontPhotoId')
    const uploadsBefore = uploadsOf(env).length
    expect(wizard.submit()).toBe(true)
    await settle()
    expect(uploadsOf(env).length).toBe(uploadsBefore)
    const [body] = env.server.promotionBodies
    expect(body.store.storefrontPhotoId).toBe('u-dark')
    expect(body.keptPhotoIds).toEqual(['u-dark'])
    expect(env.root.outbox.forDraft(wizard.draftId)?.status).toBe('sent')
  })

  it('a photo that passed the check goes straight through', async () => {
    const { env, wizard } = await onStore()
    setOnline(env, false)
    await fillStore(wizard)
    wizard.next()
    await fillSpots(env, wizard)
    wizard.next()
    fillMerchant(wizard)
    wizard.next()
    wizard.submit()
    setOnline(env, true)
    env.root.outbox.retryAll()
    await settle()
    expect(env.root.outbox.forDraft(wizard.draftId)?.status).toBe('sent')
    expect(toJS(env.server.promotionBodies[0])).not.toHaveProperty('keptPhotoIds')
  })
})

describe('the code in the spot photo', () => {
  async function spotWithPhoto(codes: string[]) {
    const { env, wizard } = await onStore()
    await fillStore(wizard)
    wizard.next()
    wizard.setPosition(0, 'CASHIER_COUNTER')
    env.platform.scanner.scan.mockResolvedValueOnce(codeUrl(spotCode(0)))
    await wizard.scanSpotCode(0, labels)
    env.server.once('UPLOAD', checked('u-spot', null, codes))
    await wizard.takeSpotPhoto(0, 'Spot')
    return { env, wizard }
  }

  it('says whether the photo shows the scanned code: MATCH, DIFFERENT, NONE (a warning, not a refusal)', async () => {
    expect((await spotWithPhoto([codeUrl(spotCode(0))])).wizard.codeInPhoto(0)).toBe('MATCH')
    const different = await spotWithPhoto([codeUrl(spotCode(7))])
    expect(different.wizard.codeInPhoto(0)).toBe('DIFFERENT')
    expect(different.env.root.i18n.t('photoCheck.codeDIFFERENT')).toMatch(/does not show the code you scanned/)
    const none = await spotWithPhoto([])
    expect(none.wizard.codeInPhoto(0)).toBe('NONE')
    expect(await none.wizard.advance()).toBe(true)
  })

  it('is unknown while the photo was not checked (offline)', async () => {
    const { env, wizard } = await onStore()
    setOnline(env, false)
    await fillStore(wizard)
    wizard.next()
    await fillSpots(env, wizard)
    expect(wizard.codeInPhoto(0)).toBeNull()
  })
})
