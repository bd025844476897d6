import { makeAutoObservable, observable, flow, toJS } from 'mobx'
import type { ErrorCode } from '../../packages/contract/errors'
import type { InspectionTask } from '../../packages/contract/inspection'
import type { GeoPointInput } from '../../packages/contract/promotion'
import { DeviceError, type LocationPort, type StoragePort } from '../platform/types'
import { distanceMeters } from '../../packages/contract/rules/inspection'
import { newInspectionDraft, type InspectionDraft } from '../rules/inspection-draft'
import { requestIdOf, toApiError, type ApiClient } from '../services/api-client'
import { newId } from '../services/ids'
import { awaited } from './awaited'

export const TASKS_KEY = 'posm.tasks'
const draftKey = (taskId: string) => `posm.inspection.${taskId}`

export type TaskSort = 'due' | 'distance'

/**
 * Verification Tasks: the inspections assigned to this staff member (kept for offline use), sortable by
 * distance from the current location, and the inspection drafts, saved at every change.
 */
export class InspectionsStore {
  tasks: InspectionTask[]
  sort: TaskSort = 'due'
  here: GeoPointInput | null = null
  /** Why sorting by distance has no location (the permission off, no fix), shown at the sort choice. */
  locationError: ErrorCode | null = null
  loading = false
  error: ErrorCode | null = null
  /** The server's id of the request behind `error` (shown under it, for staff to quote to support). */
  errorRequestId: string | null = null
  /** The drafts by task (a map: its keys come and go). */
  drafts = observable.map<string, InspectionDraft>()

  constructor(
    private readonly api: ApiClient,
    private readonly storage: StoragePort,
    private readonly location: LocationPort,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.tasks = storage.get<InspectionTask[]>(TASKS_KEY) ?? []
    for (const task of this.tasks) {
      const draft = storage.get<InspectionDraft>(draftKey(task.id))
      if (draft) this.drafts.set(task.id, draft)
    }
    makeAutoObservable<this, 'api' | 'storage' | 'location' | 'now'>(this, { api: false, storage: false, location: false, now: false }, { autoBind: true })
  }

  distanceTo(task: InspectionTask): number | null {
    return this.here ? distanceMeters(this.here, task.store.location) : null
  }

  get sorted(): InspectionTask[] {
    const open = (t: InspectionTask) => (t.status === 'TO_DO' || t.status === 'IN_PROGRESS' ? 0 : 1)
    return [...this.tasks].sort((a, b) => {
      if (open(a) !== open(b)) return open(a) - open(b)
      if (this.sort === 'distance' && this.here) return (this.distanceTo(a) ?? 0) - (this.distanceTo(b) ?? 0)
      return a.dueDate.localeCompare(b.dueDate)
    })
  }

  get(id: string): InspectionTask | null {
    return this.tasks.find((t) => t.id === id) ?? null
  }

  load = flow(function* (this: InspectionsStore) {
    this.loading = true
    try {
      const { tasks } = yield* awaited(this.api.call('GET /api/inspections'))
      this.tasks = tasks
      this.error = null
      this.errorRequestId = null
      this.write(TASKS_KEY, toJS(this.tasks))
    } catch (e) {
      this.error = toApiError(e).code
      this.errorRequestId = requestIdOf(e)
    } finally {
      this.loading = false
    }
  })

  async setSort(sort: TaskSort) {
    this.sort = sort
    if (sort === 'distance') await this.locate()
  }

  /** Where the staff member is now (for sorting); nothing when the device gives no location. */
  locate = flow(function* (this: InspectionsStore) {
    try {
      const here = yield* awaited(this.location.getLocation())
      this.here = here
      this.locationError = null
    } catch (e) {
      this.here = null
      this.locationError = e instanceof DeviceError ? e.code : 'LOCATION_UNAVAILABLE'
    }
  })

  put(task: InspectionTask) {
    const i = this.tasks.findIndex((t) => t.id === task.id)
    if (i >= 0) this.tasks[i] = task
    else this.tasks.push(task)
    this.write(TASKS_KEY, toJS(this.tasks))
  }

  /** The draft of a task, started at first use. */
  draft(task: InspectionTask): InspectionDraft {
    const kept = this.drafts.get(task.id)
    if (kept) return kept
    this.drafts.set(task.id, newInspectionDraft(task, newId('i'), this.now().toISOString()))
    this.save(task.id)
    // the map's observable copy, which is the one edited from now on
    return this.drafts.get(task.id) as InspectionDraft
  }

  update(taskId: string, change: (d: InspectionDraft) => void) {
    const task = this.get(taskId)
    const draft = this.drafts.get(taskId) ?? (task ? this.draft(task) : undefined)
    if (!draft) return
    change(draft)
    draft.updatedAt = this.now().toISOString()
    this.save(taskId)
  }

  discardDraft(taskId: string) {
    this.drafts.delete(taskId)
    this.storage.remove(draftKey(taskId))
  }

  private save(taskId: string) {
    this.write(draftKey(taskId), toJS(this.drafts.get(taskId)))
  }

  private write(key: string, value: unknown) {
    try {
      this.storage.set(key, value)
    } catch {
      // storage full: kept in memory; the drafts page says so for promotions
    }
  }
}
