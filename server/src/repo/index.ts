import type { Db } from '../db'
import { createAssociationRequestRepo } from './association-requests'
import { createAuthCodeRepo } from './auth-codes'
import { createIsoRepo } from './isos'
import { createSessionRepo } from './sessions'
import { createStaffRepo } from './staff'

export function createRepos(db: Db) {
  return {
    isos: createIsoRepo(db),
    staff: createStaffRepo(db),
    requests: createAssociationRequestRepo(db),
    sessions: createSessionRepo(db),
    authCodes: createAuthCodeRepo(db),
  }
}

export type Repos = ReturnType<typeof createRepos>
