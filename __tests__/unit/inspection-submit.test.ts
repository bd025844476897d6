/**
 * Submitting an inspection: Submit on the summary queues one outbox item of kind 'inspection'; the outbox
 * uploads the photos first, then posts the result with the upload ids to the task; the server's answer
 * puts the task (SUBMITTED) and discards the draft. Network failures wait and retry.
 */
import { runInAction, toJS } from 'mobx'
import { TransportError } from '../../src/platform/types'
import { distanceMeters, FAR_FROM_STORE_METERS } from '../../packages/contract/rules/inspection'
import type { InspectionDraft } from '../../src/rules/inspection-draft'
import { TASKS_KEY } from '../../src/stores/inspections-store'
import type { InspectionWizard } from '../../src/stores/inspection-wizard'
import type { InspectionTask } from '../../packages/contract/inspection'
import { InspectionSubmissionSchema, validate } from '../../packages/contract/schemas'
import { json } from '../helpers/fake-platform'
import {
  BOUND_CODES,
  DEVICE_LOCATION,
  endpoint,
  inspectionRoot,
  MC_STORE_LOCATION,
  MC_TASK,
  openTask,
  POSM_TASK,
  settle,
  walkInspectionToSummary,
  type InspectionEnv,
} from '../helpers/inspection'

const SUBMIT = endpoint(MC_TASK, 'submissions')
const postsOf = (env: InspectionEnv, key = SUBMIT) => env.server.log.filter((l) => l === key).length
const draftKey = (taskId: string) => `posm.inspection.${taskId}`

/**
 * A task walked to the summary; the log holds only what Submit sends. The photos were taken offline (no check at
 * capture, issue 26), so the outbox uploads them when it sends the result.
 */
async function readyToSubmit(env: InspectionEnv, taskId = MC_TASK, edit?: (w: InspectionWizard) => void) {
  const wizard = openTask(env, taskId)
  runInAction(() => (env.root.outbox.online = false))
  await walkInspectionToSummary(env, wizard)
  runInAction(() => (env.root.outbox.online = true))
  edit?.(wizard)
  const draft = toJS(wizard.draft) as InspectionDraft
  // the payment evidence was uploaded while verifying; count only what Submit sends
  env.server.log.length = 0
  env.server.uploads.length = 0
  return { wizard, draft }
}

const photoPaths = (d: InspectionDraft) => [d.store.storefrontPhoto?.localPath, ...d.spots.map((s) => s.photo?.localPath)] as string[]

describe('submitting an inspection', () => {
  it('queues ONE outbox item of kind inspection for the task (a double Submit too)', async () => {
    const env = await inspectionRoot()
    const { wizard, draft } = await readyToSubmit(env)
    expect(wizard.submit()).toBe(true)
    expect(wizard.submit()).toBe(false)
    expect(wizard.state).toBe('submitting')
    expect(env.root.outbox.items).toHaveLength(1)
    expect(env.root.outbox.items[0]).toMatchObject({
      kind: 'inspection',
      targetId: MC_TASK,
      draftId: `inspection:${MC_TASK}`,
      clientId: draft.clientId,
      label: 'Kopi Corner',
      product: 'MARKETING_CODE',
    })
    expect(wizard.outboxItem).toBe(env.root.outbox.items[0])
    await settle()
    expect(wizard.submit()).toBe(false)
    expect(env.root.outbox.items).toHaveLength(1)
    expect(postsOf(env)).toBe(1)
  })

  it('uploads every photo first, then posts the result with upload ids and the server-side fields', async () => {
    const env = await inspectionRoot()
    const { wizard, draft } = await readyToSubmit(env)
    wizard.submit()
    await settle()

    const paths = photoPaths(draft)
    expect(paths).toEqual(['kept:i1.jpg', 'kept:i2.jpg', 'kept:i3.jpg'])
    expect(env.server.log).toEqual([...paths.map((p) => `upload ${p}`), SUBMIT])
    expect(env.server.uploads[0]).toMatchObject({
      name: 'file',
      formData: {
        takenAt: '2026-11-25T10:30:00.000Z',
        purpose: 'inspection-storefront',
        latitude: '1.3',
        longitude: '103.8',
        accuracy: '10',
        mocked: 'false',
      },
    })

    const uploads = env.root.outbox.uploads
    const [{ taskId, body }] = env.server.submissionBodies
    expect(taskId).toBe(MC_TASK)
    expect(body).toEqual({
      clientId: draft.clientId,
      store: {
        open: true,
        sameStore: true,
        storefrontPhotoId: uploads.get('kept:i1.jpg'),
        location: DEVICE_LOCATION,
        distanceMeters: distanceMeters(DEVICE_LOCATION, MC_STORE_LOCATION),
        feedback: '',
      },
      spots: [
        { index: 0, condition: 'PRESENT', photoId: uploads.get('kept:i2.jpg'), scannedCode: BOUND_CODES[0], feedback: '' },
        { index: 1, condition: 'PRESENT', photoId: uploads.get('kept:i3.jpg'), scannedCode: BOUND_CODES[1], feedback: '' },
      ],
      paymentVerificationIds: [draft.payment.MPM.result?.id, draft.payment.UPM.result?.id],
    })
    expect(body.paymentVerificationIds).toEqual(['pv-1', 'pv-2'])
    for (const id of [body.store.storefrontPhotoId, ...body.spots.map((s) => s.photoId)]) expect(id).toMatch(/^u-\d+$/)
    // far from the recorded location: recorded, not blocking
    expect(body.store.distanceMeters).toBeGreaterThan(FAR_FROM_STORE_METERS)
    expect(validate(InspectionSubmissionSchema, body)).toMatchObject({ ok: true })
  })

  it('sends what was found wrong with its feedback, trimmed', async () => {
    const env = await inspectionRoot()
    // the feedback is given on the summary's way back: edit through the store, as the page does
    const { wizard } = await readyToSubmit(env)
    wizard.back()
    wizard.back()
    wizard.setCondition(1, 'MOVED')
    wizard.setSpotFeedback(1, '  Moved to the window  ')
    expect(wizard.next()).toBe(true)
    expect(wizard.next()).toBe(true)
    expect(wizard.submit()).toBe(true)
    await settle()
    const { body } = env.server.submissionBodies[0]
    expect(body.spots[1]).toMatchObject({ index: 1, condition: 'MOVED', feedback: 'Moved to the window' })
    expect(validate(InspectionSubmissionSchema, body)).toMatchObject({ ok: true })
  })

  it('after the answer: the task is SUBMITTED in the store, the draft is discarded, the wizard is submitted', async () => {
    const env = await inspectionRoot()
    const { wizard, draft } = await readyToSubmit(env)
    expect(env.storage.data.has(draftKey(MC_TASK))).toBe(true)
    wizard.submit()
    await settle()

    const item = env.root.outbox.items[0]
    expect(item.status).toBe('sent')
    expect(item.task).toMatchObject({ id: MC_TASK, status: 'SUBMITTED' })
    expect(env.root.inspections.get(MC_TASK)?.status).toBe('SUBMITTED')
    expect((env.storage.data.get(TASKS_KEY) as InspectionTask[]).find((t) => t.id === MC_TASK)?.status).toBe('SUBMITTED')
    expect(env.root.inspections.drafts.get(MC_TASK)).toBeUndefined()
    expect(env.storage.data.has(draftKey(MC_TASK))).toBe(false)
    expect(wizard.state).toBe('submitted')
    expect(wizard.next()).toBe(false)
    expect(wizard.back()).toBe(false)
    expect(wizard.submit()).toBe(false)
    expect(env.root.outbox.pendingCount).toBe(0)
    // the kept photos are removed from the device
    const removed = env.platform.files.remove.mock.calls.map((c) => (c as unknown[])[0])
    expect(removed).toEqual(expect.arrayContaining(photoPaths(draft)))
    // the other task is untouched
    expect(env.root.inspections.get(POSM_TASK)?.status).toBe('IN_PROGRESS')
  })

  it('a network failure leaves it submitting with NETWORK and retries on its own, uploading nothing twice', async () => {
    const env = await inspectionRoot()
    const { wizard } = await readyToSubmit(env)
    env.server.once(SUBMIT, () => {
      throw new TransportError('network', 'offline')
    })
    wizard.submit()
    await settle()

    const item = env.root.outbox.items[0]
    expect(wizard.state).toBe('submitting')
    expect(item).toMatchObject({ status: 'pending', lastError: 'NETWORK', attempts: 1 })
    expect(env.root.inspections.get(MC_TASK)?.status).toBe('TO_DO')
    expect(env.root.inspections.drafts.get(MC_TASK)).toBeDefined()
    expect(env.backoff).toHaveBeenCalledWith(1)
    expect(env.clock.armed().map((t) => t.wait)).toEqual([1000])

    env.clock.advance(1000)
    await env.clock.fireDue()
    expect(item.status).toBe('sent')
    expect(wizard.state).toBe('submitted')
    expect(postsOf(env)).toBe(2)
    expect(env.server.uploads).toHaveLength(3)
    expect(env.server.submissionBodies[0].body).toEqual(env.server.submissionBodies[1].body)
    expect(env.root.inspections.drafts.get(MC_TASK)).toBeUndefined()
  })

  it('the Retry button tries again at once', async () => {
    const env = await inspectionRoot()
    const { wizard } = await readyToSubmit(env)
    env.server.once(SUBMIT, () => {
      throw new TransportError('timeout', 'slow')
    })
    expect(wizard.retry()).toBe(false)
    wizard.submit()
    await settle()
    expect(wizard.outboxItem?.lastError).toBe('TIMEOUT')
    expect(wizard.state).toBe('submitting')
    expect(wizard.retry()).toBe(true)
    await settle()
    expect(wizard.state).toBe('submitted')
    expect(postsOf(env)).toBe(2)
  })

  it('a failed photo upload is retried before the result is posted', async () => {
    const env = await inspectionRoot()
    const { wizard } = await readyToSubmit(env)
    env.server.once('UPLOAD', () => {
      throw new TransportError('network', 'offline')
    })
    wizard.submit()
    await settle()
    expect(wizard.outboxItem).toMatchObject({ status: 'pending', lastError: 'NETWORK' })
    expect(postsOf(env)).toBe(0)
    wizard.retry()
    await settle()
    expect(wizard.state).toBe('submitted')
    expect(postsOf(env)).toBe(1)
  })

  it('a refusal is kept with its reason; Back edits again and a new Submit updates the same item', async () => {
    const env = await inspectionRoot()
    const { wizard } = await readyToSubmit(env)
    env.server.once(SUBMIT, () => json(422, { error: { code: 'FEEDBACK_REQUIRED', message: 'feedback', fields: { 'spots.0.feedback': 'FEEDBACK_REQUIRED' } } }))
    wizard.submit()
    await settle()
    expect(wizard.state).toBe('refused')
    expect(wizard.outboxItem).toMatchObject({ status: 'refused', lastError: 'FEEDBACK_REQUIRED', lastErrorFields: { 'spots.0.feedback': 'FEEDBACK_REQUIRED' } })
    expect(env.root.inspections.drafts.get(MC_TASK)).toBeDefined()

    expect(wizard.back()).toBe(true)
    expect(wizard.state).toBe('summary')
    expect(wizard.errors).toEqual({ 'spots.0.feedback': 'FEEDBACK_REQUIRED' })
    expect(wizard.submit()).toBe(true)
    await settle()
    expect(env.root.outbox.items).toHaveLength(1)
    expect(wizard.state).toBe('submitted')
    expect(env.server.submissionBodies.map((s) => s.body.clientId)).toEqual([wizard.outboxItem?.clientId, wizard.outboxItem?.clientId])
  })

  it('while offline the item waits; the network coming back sends it', async () => {
    const env = await inspectionRoot()
    const { wizard } = await readyToSubmit(env)
    const onChange = env.platform.network.onChange.mock.calls[0] as unknown as [(online: boolean) => void]
    onChange[0](false)
    wizard.submit()
    await settle()
    expect(wizard.state).toBe('submitting')
    expect(env.server.log).toEqual([])
    onChange[0](true)
    await settle()
    expect(wizard.state).toBe('submitted')
  })
})
