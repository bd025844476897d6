import type { InspectionTask } from '../../packages/contract/inspection'
import type { PromotionView } from '../../packages/contract/promotion'
import { startTestServer, type TestServer } from './helpers'
import { getTask } from './inspection-fixtures'
import { createPromotion, evidence, png, promotionBody, uploadPhoto } from './promotion-fixtures'
import { review } from './results-fixtures'

/**
 * Inspections that see the deployment (issue 26, item 6): a Verification Task carries the storefront and spot
 * photos, codes, place and time recorded at deployment, and the inspector may open those photos; nobody else may.
 */
describe('a Verification Task shows the deployment', () => {
  let server: TestServer
  let dao: string
  let budi: string
  let chen: string
  beforeEach(async () => {
    server = await startTestServer()
    // Budi joins Nusantara (Dao's ISO) as a second staff member
    await server.db.run("UPDATE staff SET association_status = 'associated' WHERE id = 'staff-budi'")
    dao = await server.signIn('staff-dao')
    budi = await server.signIn('staff-budi')
    chen = await server.signIn('staff-chen')
  })
  afterEach(() => server.close())

  /** Dao deploys (Deploy-Then-Verify), verifies, the reviewer approves; Budi is assigned to inspect it. */
  async function deployedAndAssigned(): Promise<{ promotion: PromotionView; task: InspectionTask; photos: Record<string, Buffer> }> {
    const photos: Record<string, Buffer> = {}
    const storefront = png(7001)
    const spot = png(7002)
    const body = await promotionBody(server, dao, { product: 'MARKETING_CODE', spots: 1 })
    body.store.storefrontPhotoId = await uploadPhoto(server, dao, storefront)
    body.spots[0].photoId = await uploadPhoto(server, dao, spot)
    photos[body.store.storefrontPhotoId] = storefront
    photos[body.spots[0].photoId] = spot
    const promotion = await createPromotion(server, dao, body)
    for (const mode of ['MPM', 'UPM'] as const) {
      const res = await server.api('POST', `/api/promotions/${promotion.id}/payment-verifications`, { token: dao, body: await evidence(server, dao, mode) })
      expect(res.statusCode).toBe(200)
    }
    await review(server, promotion.id, 'approve', ['approve'])
    const assigned = await server.consolePost('/console/inspections', { promotionId: promotion.id, staffId: 'staff-budi', dueDate: '2025-03-20' })
    expect(assigned.statusCode).toBe(303)
    const { tasks } = (await server.api('GET', '/api/inspections', { token: budi })).json() as { tasks: InspectionTask[] }
    const task = tasks.find((t) => t.promotionId === promotion.id)!
    return { promotion: (await server.api('GET', `/api/promotions/${promotion.id}`, { token: dao })).json() as PromotionView, task, photos }
  }

  it('carries the storefront and spot photos, the bound code and when it was deployed', async () => {
    const { promotion, task } = await deployedAndAssigned()
    expect(task.deployment).toEqual({ storefrontPhotoId: promotion.store.storefrontPhotoId, deployedAt: promotion.createdAt })
    expect(task.spots).toEqual([
      expect.objectContaining({ index: 0, deployedPhotoId: promotion.spots[0].photoId, marketingCode: promotion.spots[0].marketingCode }),
    ])
    expect(task.store.location).toEqual(promotion.store.location)
    expect(await getTask(server, budi, task.id)).toEqual(task)
  })

  it('lets the inspector open the deployment photos; another staff member gets 403, the one who deployed still sees them', async () => {
    const { task, photos } = await deployedAndAssigned()
    const ids = [task.deployment.storefrontPhotoId, ...task.spots.map((s) => s.deployedPhotoId)]
    for (const id of ids) {
      const seen = await server.api('GET', `/api/uploads/${id}`, { token: budi })
      expect([id, seen.statusCode, seen.rawPayload.equals(photos[id])]).toEqual([id, 200, true])
      expect((await server.api('GET', `/api/uploads/${id}`, { token: dao })).statusCode).toBe(200)
      const other = await server.api('GET', `/api/uploads/${id}`, { token: chen })
      expect([other.statusCode, other.json().error.code]).toEqual([403, 'FORBIDDEN'])
    }
    // a photo of Dao's that is in no promotion Budi inspects stays Dao's own
    const unrelated = await uploadPhoto(server, dao, png(7003))
    expect((await server.api('GET', `/api/uploads/${unrelated}`, { token: budi })).statusCode).toBe(403)
  })
})
