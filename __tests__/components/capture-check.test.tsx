/**
 * Issue 26: the inspection's storefront photo is checked at capture like the promotion wizard's: the warning is
 * shown at the photo in the working language with Keep anyway beside Retake; keeping it says so and lets the step
 * be left.
 */
import { act, fireEvent } from '@testing-library/react'
import { observer } from 'mobx-react'
import '../../src/i18n/sections/inspection'
import { StoreCheck } from '../../src/components/inspection/store-check'
import { useStore } from '../../src/stores/context'
import { inspectionWizard } from '../../src/stores/inspection-wizard'
import { DICTIONARIES } from '../../src/i18n/all'
import { profile } from '../helpers/fixtures'
import { json } from '../helpers/fake-platform'
import { MC_TASK, mcTask } from '../helpers/inspection'
import { renderSignedIn } from './render'

const Step = observer(function Step() {
  const root = useStore()
  const wizard = inspectionWizard(root, MC_TASK)
  return wizard ? <StoreCheck wizard={wizard} /> : null
})

const associated = profile({ status: 'associated', iso: { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'DEPLOY_THEN_VERIFY' } })

const darkUpload = {
  id: 'u-dark',
  sha256: 'sha-dark',
  size: 1000,
  mime: 'image/jpeg',
  takenAt: '2026-11-25T10:30:00.000Z',
  location: null,
  createdAt: '2026-11-25T10:30:00.000Z',
  check: { issue: 'DARK', brightness: 20, overexposed: 0, sharpness: 900, codes: [], qrChecked: false },
}

async function takeDarkStorefront(language: 'en' | 'ja') {
  const env = await renderSignedIn(<Step />, associated, { 'GET /api/inspections': () => json(200, { tasks: [mcTask()] }) }, language)
  env.platform.location.getLocation.mockImplementation((async () => ({ latitude: 1.3, longitude: 103.85, accuracy: 10, mocked: false })) as never)
  env.platform.camera.takePhoto.mockResolvedValue(['storefront.jpg'])
  env.platform.uploader.upload.mockResolvedValue({ status: 201, data: darkUpload } as never)
  await act(async () => env.root.inspections.load())
  await act(async () => undefined)
  await act(async () => void fireEvent.click(env.container.querySelector('#inspect-storefront') as HTMLElement))
  for (let i = 0; i < 5; i++) await act(async () => undefined)
  return env
}

describe('the inspection storefront photo checked at capture', () => {
  it.each(['en', 'ja'] as const)('warns of a dark photo in %s; Keep anyway is recorded and lets the step be left', async (language) => {
    const { container, root, platform } = await takeDarkStorefront(language)
    expect(platform.uploader.upload).toHaveBeenCalledWith(expect.objectContaining({ formData: expect.objectContaining({ purpose: 'inspection-storefront' }) }))
    const dict = DICTIONARIES[language]
    expect(container.querySelector('#inspect-storefront-check')?.textContent).toContain(dict['photoCheck.DARK'])
    expect(container.querySelector('#inspect-storefront-keep')?.textContent).toBe(dict['photoCheck.keep'])

    const wizard = inspectionWizard(root, MC_TASK)!
    act(() => {
      wizard.setStoreCheck('open', true)
      wizard.setStoreCheck('sameStore', true)
    })
    let left = true
    act(() => void (left = wizard.next()))
    expect(left).toBe(false)
    expect(wizard.fieldError('store.storefrontPhotoId')).toBe('PHOTO_QUALITY')

    await act(async () => void fireEvent.click(container.querySelector('#inspect-storefront-keep') as HTMLElement))
    expect(container.querySelector('#inspect-storefront-check')).toBeNull()
    expect(container.querySelector('#inspect-storefront-kept')?.textContent).toBe(dict['photoCheck.kept'])
    expect(wizard.draft.store.storefrontPhoto?.keptAnyway).toBe(true)
    act(() => void (left = wizard.next()))
    expect(left).toBe(true)
  })
})
