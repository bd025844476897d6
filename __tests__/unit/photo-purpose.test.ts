/**
 * Issue 26: every upload says what the photo is for (`purpose`), so that the server decodes QR codes only in spot
 * photos: storefront and spot photos of a promotion (at capture and from the outbox), payment-result photos; a
 * photo the server did not search for codes is never shown as "no readable code".
 */
import { runInAction } from 'mobx'
import { photoPurpose } from '../../src/rules/photo-ref'
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
  verifyMode,
  type PromotionEnv,
} from '../helpers/promotion'

const purposes = (env: PromotionEnv) => env.server.uploads.map((u) => u.formData?.purpose)

describe('upload purpose', () => {
  it('names each kind of photo', () => {
    expect(photoPurpose('promotion', 'store.storefrontPhotoId')).toBe('storefront')
    expect(photoPurpose('resubmission', 'spots.2.photoId')).toBe('spot')
    expect(photoPurpose('inspection', 'store.storefrontPhotoId')).toBe('inspection-storefront')
    expect(photoPurpose('inspection', 'spots.0.photoId')).toBe('inspection-spot')
    expect(photoPurpose('appeal', 'photoIds')).toBe('appeal')
  })

  it('is sent with the storefront and spot photos uploaded at capture', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const wizard = startWizard(env, 'MARKETING_CODE')
    await fillStore(wizard)
    wizard.next()
    await fillSpots(env, wizard)
    expect(purposes(env)).toEqual(['storefront', 'spot'])
  })

  it('is sent with the photos the outbox uploads (taken offline)', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const wizard = startWizard(env, 'MARKETING_CODE')
    runInAction(() => (env.root.outbox.online = false))
    await fillStore(wizard)
    wizard.next()
    await fillSpots(env, wizard)
    wizard.next()
    fillMerchant(wizard)
    wizard.next()
    expect(wizard.submit()).toBe(true)
    expect(purposes(env)).toEqual([])
    runInAction(() => (env.root.outbox.online = true))
    env.root.outbox.retryAll()
    await settle()
    expect(env.server.log).toContain('POST /api/promotions')
    expect(purposes(env)).toEqual(['storefront', 'spot'])
  })

  it('is "payment" for a payment result photo', async () => {
    const env = await promotionRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const wizard = startWizard(env, 'MARKETING_CODE')
    await fillStore(wizard)
    wizard.next()
    env.server.uploads.length = 0
    await verifyMode(wizard, 'MPM')
    expect(purposes(env)).toEqual(['payment'])
  })

  it('a spot photo the server did not search for codes says nothing about the code in it', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const wizard = startWizard(env, 'MARKETING_CODE')
    await fillStore(wizard)
    wizard.next()
    wizard.setPosition(0, 'CASHIER_COUNTER')
    env.platform.scanner.scan.mockResolvedValueOnce(codeUrl(spotCode(0)))
    await wizard.scanSpotCode(0, labels)
    env.server.once('UPLOAD', () =>
      json(201, {
        id: 'u-unsearched',
        sha256: 'sha-u',
        size: 1000,
        mime: 'image/jpeg',
        takenAt: FIXED_NOW.toISOString(),
        location: null,
        createdAt: FIXED_NOW.toISOString(),
        check: { issue: null, brightness: 128, overexposed: 0, sharpness: 900, codes: [], qrChecked: false },
      }),
    )
    await wizard.takeSpotPhoto(0, 'Spot')
    expect(wizard.draft.spots[0].photo?.check).toEqual({ uploadId: 'u-unsearched', issue: null, codes: [], qrChecked: false })
    // not a wrong "no readable code": the server reads it at submission
    expect(wizard.codeInPhoto(0)).toBeNull()
  })
})
