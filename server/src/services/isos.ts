import type { Clock } from '../clock'
import type { Db } from '../db'
import type { Repos } from '../repo'
import type { Actor } from '../repo/audit'
import type { IsoRow } from '../repo/isos'

export type IsoChangeResult = { ok: true; iso: IsoRow } | { ok: false; problem: 'not_found' } | { ok: false; problem: 'department_in_use'; owner: IsoRow }

/** An ISO's settings, each change written to the audit trail in its transaction. */
export function createIsoService({ db, repos, clock }: { db: Db; repos: Repos; clock: Clock }) {
  // the deployment method is not a setting: it is agreed (services/method-agreement.ts)
  const settings = async (actor: Actor, id: string, maxSpotsPerStore: number): Promise<IsoChangeResult> => {
    const before = await repos.isos.findById(id)
    if (!before) return { ok: false, problem: 'not_found' }
    await repos.isos.setSpotLimit(id, maxSpotsPerStore)
    const iso = (await repos.isos.findById(id)) as IsoRow
    await repos.audit.append(actor, clock.now().toISOString(), {
      action: 'iso.settings',
      subjectType: 'iso',
      subjectId: id,
      isoId: id,
      before: { maxSpotsPerStore: before.max_spots_per_store },
      after: { maxSpotsPerStore: iso.max_spots_per_store },
    })
    return { ok: true, iso }
  }

  const department = async (actor: Actor, id: string, deptId: number | null): Promise<IsoChangeResult> => {
    const before = await repos.isos.findById(id)
    if (!before) return { ok: false, problem: 'not_found' }
    const owner = deptId === null ? undefined : (await repos.isos.findByDingTalkDepartments([deptId])).find((i) => i.id !== id)
    if (owner) return { ok: false, problem: 'department_in_use', owner }
    await repos.isos.setDingTalkDepartment(id, deptId)
    await repos.audit.append(actor, clock.now().toISOString(), {
      action: 'iso.dingtalk_department',
      subjectType: 'iso',
      subjectId: id,
      isoId: id,
      before: { dingtalkDeptId: before.dingtalk_dept_id },
      after: { dingtalkDeptId: deptId },
    })
    return { ok: true, iso: (await repos.isos.findById(id)) as IsoRow }
  }

  return {
    setSpotLimit: (actor: Actor, id: string, maxSpotsPerStore: number): Promise<IsoChangeResult> => db.transaction(() => settings(actor, id, maxSpotsPerStore)),
    setDepartment: (actor: Actor, id: string, deptId: number | null): Promise<IsoChangeResult> => db.transaction(() => department(actor, id, deptId)),
  }
}

export type IsoService = ReturnType<typeof createIsoService>
