/**
 * The inspection wizard's store step (components/inspection/store-check.tsx) with a location that cannot be
 * had: the error is on the page, with a way to try again, and a later fix shows the distance.
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

/** The store step of the task, once the tasks are loaded. */
const Step = observer(function Step() {
  const root = useStore()
  const wizard = inspectionWizard(root, MC_TASK)
  return wizard ? <StoreCheck wizard={wizard} /> : null
})

const associated = profile({ status: 'associated', iso: { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'DEPLOY_THEN_VERIFY' } })

async function renderStep(locate: () => Promise<unknown>) {
  const env = await renderSignedIn(<Step />, associated, { 'GET /api/inspections': () => json(200, { tasks: [mcTask()] }) })
  env.platform.location.getLocation.mockImplementation(locate as never)
  await act(async () => env.root.inspections.load())
  await act(async () => undefined)
  return env
}

describe('the inspection store step', () => {
  it('shows a location that cannot be had, and offers to try again; a later fix shows the distance', async () => {
    const { container, platform } = await renderStep(async () => Promise.reject(new Error('denied')))
    const error = container.querySelector('#inspect-location-error')
    expect(error?.textContent).toBe(DICTIONARIES.en['error.LOCATION_REQUIRED'])
    expect(container.querySelector('#inspect-no-location')).not.toBeNull()

    platform.location.getLocation.mockImplementation((async () => ({ latitude: 1.3, longitude: 103.8, accuracy: 10, mocked: false })) as never)
    await act(async () => void fireEvent.click(container.querySelector('#inspect-get-location') as HTMLElement))
    await act(async () => undefined)
    expect(container.querySelector('#inspect-location-error')?.textContent ?? '').toBe('')
    expect(container.querySelector('#inspect-distance')).not.toBeNull()
  })
})
