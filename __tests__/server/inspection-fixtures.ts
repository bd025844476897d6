import type { LightMyRequestResponse } from 'fastify'
import type { InspectionTask } from '../../packages/contract/inspection'
import type { PaymentVerificationView } from '../../packages/contract/promotion'
import type { TestServer } from './helpers'
import { clientId, freshReference, uploadPhoto } from './promotion-fixtures'

/** The seeded Verification Tasks (TO_DO, due a few days after the seed time). */
export const SEEDED = {
  /** staff-chen, prm-seed-kopi: one Marketing Code spot (APMC0000000001), a store verified with Alipay+ Linker. */
  kopi: 'ins-seed-kopi',
  /** staff-chen, prm-seed-laksa: two Marketing Code spots (APMC0000000002, APMC0000000003), an Alipay-only store. */
  laksa: 'ins-seed-laksa',
  /** staff-dao, prm-seed-warung: one Primary POSM spot (a stand). */
  warung: 'ins-seed-warung',
} as const

export async function getTask(server: TestServer, token: string, id: string): Promise<InspectionTask> {
  const res = await server.api('GET', `/api/inspections/${id}`, { token })
  if (res.statusCode !== 200) throw new Error(`task ${id}: ${res.statusCode} ${res.body}`)
  return res.json() as InspectionTask
}

export function verify(server: TestServer, token: string, id: string, body: unknown): Promise<LightMyRequestResponse> {
  return server.api('POST', `/api/inspections/${id}/payment-verifications`, { token, body })
}

/** Payment evidence for a task with a fresh photo, made with the tool its store needs unless overridden. */
export async function inspectionEvidence(
  server: TestServer,
  token: string,
  task: InspectionTask,
  mode: 'MPM' | 'UPM',
  overrides: Record<string, unknown> = {},
) {
  const alipayOnly = task.store.wallets.length === 1 && task.store.wallets[0] === 'ALIPAY'
  return {
    mode,
    tool: alipayOnly ? 'ALIPAY' : 'ALIPAY_PLUS_LINKER',
    reference: freshReference(),
    photoId: await uploadPhoto(server, token),
    // ignored for a task: the store's recorded wallets decide
    wallets: ['GCASH'],
    ...overrides,
  }
}

/** Both modes verified (PASSED) for the task; answers the ids. */
export async function verifyBoth(server: TestServer, token: string, task: InspectionTask): Promise<string[]> {
  const ids: string[] = []
  for (const mode of ['MPM', 'UPM'] as const) {
    const res = await verify(server, token, task.id, await inspectionEvidence(server, token, task, mode))
    const view = res.json() as PaymentVerificationView
    if (res.statusCode !== 200 || view.status !== 'PASSED') throw new Error(`verification failed: ${res.statusCode} ${res.body}`)
    ids.push(view.id)
  }
  return ids
}

/** A complete, valid result: every spot present with its bound code scanned, at the recorded location. */
export async function inspectionBody(server: TestServer, token: string, task: InspectionTask, paymentVerificationIds: string[]) {
  const storefrontPhotoId = await uploadPhoto(server, token)
  const spots = []
  for (const s of task.spots) {
    spots.push({
      index: s.index,
      condition: 'PRESENT',
      photoId: await uploadPhoto(server, token),
      ...(s.marketingCode ? { scannedCode: `https://marketing.alipayplus.example/mc/${s.marketingCode}` } : {}),
      feedback: '',
    })
  }
  return {
    clientId: clientId(),
    store: {
      open: true,
      sameStore: true,
      storefrontPhotoId,
      location: { ...task.store.location, accuracy: 8, mocked: false },
      distanceMeters: 0,
      feedback: '',
    },
    spots: spots as Array<Record<string, unknown>>,
    paymentVerificationIds,
  }
}

export function submitInspection(server: TestServer, token: string, id: string, body: unknown): Promise<LightMyRequestResponse> {
  return server.api('POST', `/api/inspections/${id}/submissions`, { token, body })
}

/** Verifies both modes and submits a valid result; answers the submitted task. */
export async function completeInspection(
  server: TestServer,
  token: string,
  id: string,
  change?: (body: Awaited<ReturnType<typeof inspectionBody>>) => void,
): Promise<InspectionTask> {
  const task = await getTask(server, token, id)
  const body = await inspectionBody(server, token, task, await verifyBoth(server, token, task))
  change?.(body)
  const res = await submitInspection(server, token, id, body)
  if (res.statusCode !== 201) throw new Error(`inspection not submitted: ${res.statusCode} ${res.body}`)
  return res.json() as InspectionTask
}
