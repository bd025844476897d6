/**
 * Issue 26 item 2 in the app: a submission the server refuses with 409 PHOTO_REUSED (a photo that looks like a
 * photo of another store's submission) is kept with the reason at that photo, in the working language; Modify
 * reopens the draft with the photo marked, a new photo clears it, and the same item goes through.
 */
import { DICTIONARIES } from '../../src/i18n/all'
import { LOCALES } from '../../packages/contract/rules/locale'
import { json } from '../helpers/fake-platform'
import { promotionRoot, settle, startWizard, walkToSummary } from '../helpers/promotion'

const refuseReused = () =>
  json(409, {
    error: {
      code: 'PHOTO_REUSED',
      message: "A photo looks like a photo of another store's submission.",
      fields: { 'store.storefrontPhotoId': 'PHOTO_REUSED' },
    },
  })

describe('a photo refused as reused (PHOTO_REUSED)', () => {
  it('keeps the submission with the reason at the storefront photo; a new photo lets the same item through', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const wizard = startWizard(env)
    await walkToSummary(env, wizard)
    const first = wizard.draft.store.storefrontPhoto?.localPath
    env.server.once('POST /api/promotions', refuseReused)
    wizard.submit()
    await settle()
    expect(wizard.state).toBe('refused')
    expect(wizard.outboxItem).toMatchObject({ status: 'refused', lastError: 'PHOTO_REUSED', lastErrorFields: { 'store.storefrontPhotoId': 'PHOTO_REUSED' } })
    const itemId = wizard.outboxItem?.id

    // Modify: the draft as it was, the photo marked
    expect(wizard.back()).toBe(true)
    expect(wizard.fieldError('store.storefrontPhotoId')).toBe('PHOTO_REUSED')
    expect(wizard.draft.store.storefrontPhoto?.localPath).toBe(first)
    expect(wizard.draft.store.name).toBe('Kopi Corner')

    // a new photo at this store
    expect(wizard.goTo('store')).toBe(true)
    await wizard.takeStorefrontPhoto('Storefront')
    expect(wizard.fieldError('store.storefrontPhotoId')).toBeNull()
    expect(wizard.draft.store.storefrontPhoto?.localPath).not.toBe(first)
    expect(wizard.next()).toBe(true)
    expect(wizard.next()).toBe(true)
    expect(wizard.next()).toBe(true)
    expect(wizard.submit()).toBe(true)
    await settle()
    expect(wizard.state).toBe('submitted')
    expect(wizard.outboxItem).toMatchObject({ id: itemId, status: 'sent', lastError: null })
  })

  it('is said in every working language, not in English outside English', () => {
    const english = DICTIONARIES.en['error.PHOTO_REUSED']
    expect(english).toBe('This photo looks like a photo submitted for another store. Take a new photo at this store.')
    for (const locale of LOCALES) {
      const message = DICTIONARIES[locale]['error.PHOTO_REUSED']
      expect({ locale, present: typeof message === 'string' && message.length > 10 }).toEqual({ locale, present: true })
      if (locale !== 'en') expect({ locale, english: message === english }).toEqual({ locale, english: false })
    }
  })
})
