/**
 * Verification Tasks on the device: loaded from the server and kept for offline use, sorted by due date
 * or by distance (open tasks first), and an inspection draft per task, saved at every change, that
 * survives a restart of the app.
 */
import { toJS } from 'mobx'
import { distanceMeters } from '../../packages/contract/rules/inspection'
import type { InspectionDraft } from '../../src/rules/inspection-draft'
import { TASKS_KEY } from '../../src/stores/inspections-store'
import { inspectionWizard } from '../../src/stores/inspection-wizard'
import { memoryStorage } from '../helpers/fake-platform'
import {
  BOUND_CODES,
  DEVICE_LOCATION,
  expectNext,
  fillInspectionSpots,
  fillInspectionStore,
  inspectionRoot,
  labels,
  MC_STORE_LOCATION,
  MC_TASK,
  mcTask,
  openTask,
  POSM_TASK,
  posmTask,
  settle,
  verifyInspectionMode,
  walkInspectionToSummary,
} from '../helpers/inspection'

const draftKey = (taskId: string) => `posm.inspection.${taskId}`
const ids = (tasks: Array<{ id: string }>) => tasks.map((t) => t.id)

describe('inspection tasks (Verification Tasks)', () => {
  it('loads the tasks and keeps them for offline use', async () => {
    const env = await inspectionRoot()
    expect(env.server.log).toContain('GET /api/inspections')
    expect(ids(env.root.inspections.tasks)).toEqual([MC_TASK, POSM_TASK])
    expect(env.root.inspections.loading).toBe(false)
    expect(env.root.inspections.error).toBeNull()
    expect(ids(env.storage.data.get(TASKS_KEY) as Array<{ id: string }>)).toEqual([MC_TASK, POSM_TASK])
    const mc = env.root.inspections.get(MC_TASK)
    expect(mc?.spots.map((s) => s.marketingCode)).toEqual([...BOUND_CODES])
    expect(toJS(mc?.store)).toMatchObject({ wallets: ['GCASH'], location: MC_STORE_LOCATION })
    expect(env.root.inspections.get(POSM_TASK)?.spots).toHaveLength(1)
  })

  it('a failed load keeps the tasks kept before and says why', async () => {
    const storage = memoryStorage()
    await inspectionRoot({ storage })
    const env = await inspectionRoot({ storage, load: false })
    env.server.once('GET /api/inspections', () => ({ status: 503, data: { error: { code: 'SERVER', message: 'down' } } }))
    await env.root.inspections.load()
    expect(env.root.inspections.error).toBe('SERVER')
    expect(ids(env.root.inspections.tasks)).toEqual([MC_TASK, POSM_TASK])
  })

  it('sorts by due date by default', async () => {
    const env = await inspectionRoot()
    expect(env.root.inspections.sort).toBe('due')
    // the Primary POSM task is due first
    expect(ids(env.root.inspections.sorted)).toEqual([POSM_TASK, MC_TASK])
  })

  it('sorts by distance once a location is known, nearest first', async () => {
    const env = await inspectionRoot()
    await env.root.inspections.setSort('distance')
    expect(env.root.inspections.here).toEqual(DEVICE_LOCATION)
    const mc = env.root.inspections.get(MC_TASK)
    const posm = env.root.inspections.get(POSM_TASK)
    if (!mc || !posm) throw new Error('tasks')
    expect(env.root.inspections.distanceTo(mc)).toBe(distanceMeters(DEVICE_LOCATION, MC_STORE_LOCATION))
    expect(env.root.inspections.distanceTo(mc)).toBeLessThan(env.root.inspections.distanceTo(posm) as number)
    expect(ids(env.root.inspections.sorted)).toEqual([MC_TASK, POSM_TASK])
    // back to the due date
    await env.root.inspections.setSort('due')
    expect(ids(env.root.inspections.sorted)).toEqual([POSM_TASK, MC_TASK])
  })

  it('without a location, sorting by distance falls back to the due date', async () => {
    const env = await inspectionRoot()
    env.platform.location.getLocation.mockRejectedValue(new Error('denied'))
    await env.root.inspections.setSort('distance')
    expect(env.root.inspections.here).toBeNull()
    expect(env.root.inspections.distanceTo(mcTask())).toBeNull()
    expect(ids(env.root.inspections.sorted)).toEqual([POSM_TASK, MC_TASK])
  })

  it('open tasks come before done ones, in either order', async () => {
    const tasks = [
      mcTask(),
      posmTask(),
      // nearest of all and due first, but already done
      mcTask({ id: 't-done', status: 'SUBMITTED', dueDate: '2026-11-01', store: { ...mcTask().store, location: { ...DEVICE_LOCATION } } }),
      mcTask({ id: 't-accepted', status: 'ACCEPTED', dueDate: '2026-11-02' }),
      posmTask({ id: 't-rejected', status: 'REJECTED', dueDate: '2026-11-03' }),
    ]
    const env = await inspectionRoot({ tasks })
    expect(ids(env.root.inspections.sorted).slice(0, 2)).toEqual([POSM_TASK, MC_TASK])
    expect(ids(env.root.inspections.sorted).slice(2).sort()).toEqual(['t-accepted', 't-done', 't-rejected'])
    await env.root.inspections.setSort('distance')
    expect(ids(env.root.inspections.sorted).slice(0, 2)).toEqual([MC_TASK, POSM_TASK])
    expect(ids(env.root.inspections.sorted).slice(2).sort()).toEqual(['t-accepted', 't-done', 't-rejected'])
  })

  it('a submitted task moves behind the open ones', async () => {
    const env = await inspectionRoot()
    const wizard = openTask(env, POSM_TASK)
    await walkInspectionToSummary(env, wizard)
    wizard.submit()
    await settle()
    expect(env.root.inspections.get(POSM_TASK)?.status).toBe('SUBMITTED')
    expect(ids(env.root.inspections.sorted)).toEqual([MC_TASK, POSM_TASK])
  })
})

describe('inspection drafts', () => {
  it('are saved per task at every change', async () => {
    const env = await inspectionRoot()
    const mc = openTask(env, MC_TASK)
    const posm = openTask(env, POSM_TASK)
    mc.setStoreCheck('open', false)
    mc.setStoreFeedback('Shutters down')
    posm.setStoreCheck('open', true)
    const savedMc = env.storage.data.get(draftKey(MC_TASK)) as InspectionDraft
    const savedPosm = env.storage.data.get(draftKey(POSM_TASK)) as InspectionDraft
    expect(savedMc.store).toMatchObject({ open: false, feedback: 'Shutters down' })
    expect(savedPosm.store).toMatchObject({ open: true, feedback: '' })
    expect(savedMc.clientId).not.toBe(savedPosm.clientId)
    expect(savedMc.spots).toHaveLength(2)
    expect(savedPosm.spots).toHaveLength(1)
  })

  it('survive a restart: the same storage, a new RootStore, the step and the values back', async () => {
    const storage = memoryStorage()
    const first = await inspectionRoot({ storage })
    const wizard = openTask(first)
    await fillInspectionStore(wizard)
    expectNext(wizard)
    await fillInspectionSpots(first, wizard)
    wizard.setCondition(1, 'DAMAGED')
    wizard.setSpotFeedback(1, 'Faded by the sun')
    expectNext(wizard)
    await verifyInspectionMode(wizard, 'MPM')
    expect(wizard.state).toBe('payment')
    const before = toJS(wizard.draft)

    // the app restarts offline: the tasks and the draft come from storage
    const second = await inspectionRoot({ storage, load: false })
    second.platform.http.request.mockRejectedValue(new Error('offline'))
    expect(ids(second.root.inspections.tasks)).toEqual([MC_TASK, POSM_TASK])
    const again = inspectionWizard(second.root, MC_TASK)
    expect(again).not.toBeNull()
    expect(again?.state).toBe('payment')
    expect(toJS(again?.draft)).toEqual(before)
    expect(again?.draft.clientId).toBe(before.clientId)
    expect(again?.comparison(0)).toBe('MATCH')
    expect(again?.distance).toBe(distanceMeters(DEVICE_LOCATION, MC_STORE_LOCATION))
    // going on where it stopped
    await verifyInspectionMode(again ?? wizard, 'UPM')
  })

  it('a queued submission survives a restart and is sent when the app is online again', async () => {
    const storage = memoryStorage()
    const first = await inspectionRoot({ storage })
    const wizard = openTask(first)
    await walkInspectionToSummary(first, wizard)
    const onChange = first.platform.network.onChange.mock.calls[0] as unknown as [(online: boolean) => void]
    onChange[0](false)
    wizard.submit()
    await settle()
    expect(first.server.submissionBodies).toEqual([])

    const second = await inspectionRoot({ storage, load: false })
    const again = inspectionWizard(second.root, MC_TASK)
    expect(again?.state).toBe('submitting')
    second.root.outbox.retryAll()
    await settle()
    expect(second.server.submissionBodies.map((s) => s.body.clientId)).toEqual([wizard.outboxItem?.clientId])
    expect(again?.state).toBe('submitted')
    expect(second.root.inspections.get(MC_TASK)?.status).toBe('SUBMITTED')
    expect(storage.data.has(draftKey(MC_TASK))).toBe(false)
  })

  it('an edit made before anything read the draft is kept', async () => {
    // BUG (src/stores/inspections-store.ts, update): the draft is only started by a read (wizard.draft);
    // update() on a task without a draft yet silently drops the change.
    const env = await inspectionRoot()
    const wizard = inspectionWizard(env.root, MC_TASK)
    if (!wizard) throw new Error('no wizard')
    wizard.setStoreCheck('open', true)
    expect(wizard.draft.store.open).toBe(true)
    expect((env.storage.data.get(draftKey(MC_TASK)) as InspectionDraft).store.open).toBe(true)
  })

  it('scanning before anything read the draft is kept too', async () => {
    // the same bug, through an asynchronous edit
    const env = await inspectionRoot()
    const wizard = inspectionWizard(env.root, MC_TASK)
    if (!wizard) throw new Error('no wizard')
    env.platform.scanner.scan.mockResolvedValueOnce(BOUND_CODES[0])
    await wizard.scanSpotCode(0, labels)
    expect(wizard.draft.spots[0].scannedCode).toBe(BOUND_CODES[0])
  })
})
