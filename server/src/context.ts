import type { Clock } from './clock'
import type { Db } from './db'
import type { Repos } from './repo'
import type { AssociationService } from './services/association'
import type { AuthService } from './services/auth'

/** What routes and the console need; built once per server by buildServer. */
export interface AppContext {
  db: Db
  clock: Clock
  dev: boolean
  repos: Repos
  auth: AuthService
  association: AssociationService
}
