import type { Endpoints } from '../../../packages/contract/api'
import type { StaffRow } from '../repo/staff'
import type { Associated } from '../services/promotions'

/** A handler's answer, typed by the contract: `async (): Res<'GET /api/me'> => ...`. */
export type Res<K extends keyof Endpoints> = Promise<Endpoints[K]['response']>

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member; set by the session hook on authenticated routes. */
    staff: StaffRow | null
    /** The associated staff member and their ISO; set by the association hook on promotion routes. */
    associated: Associated | null
  }
}
