import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock'
import type { Db } from '../db'
import type { Repos } from '../repo'
import type { Actor } from '../repo/audit'
import type { IsoRow } from '../repo/isos'
import { isUniqueViolation } from '../database/port'
import * as v from 'valibot'
import { IsoEmailSchema } from '../../../packages/contract/schemas'
import { checkIsoProfile, departmentOf, INITIAL_DEPLOYMENT_METHOD, isoIdFor, type IsoField, type IsoProfile, type IsoProfileForm } from './iso-profile'

/** An ISO created or edited by an administrator: saved, or what is wrong with each field (nothing saved). */
export type IsoProfileResult =
  | { ok: true; iso: IsoRow; changed: boolean }
  | { ok: false; problem: 'invalid'; errors: Partial<Record<IsoField, string>> }
  | { ok: false; problem: 'not_found' }

/** The profile's fields as the audit trail records them. */
function auditedProfile(iso: IsoRow): Record<string, string | number | null> {
  return {
    name: iso.name,
    email: iso.email,
    region: iso.region,
    timezone: iso.timezone,
    dingtalkDeptId: iso.dingtalk_dept_id,
    maxSpotsPerStore: iso.max_spots_per_store,
  }
}

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

  /** Another ISO already using the ISO Email or the department: the field's message (none: free). */
  const taken = async (profile: Partial<Pick<IsoProfile, 'email' | 'dingtalkDeptId'>>, selfId: string | null): Promise<Partial<Record<IsoField, string>>> => {
    const errors: Partial<Record<IsoField, string>> = {}
    const byEmail = profile.email === undefined ? undefined : await repos.isos.findByEmail(profile.email)
    if (byEmail && byEmail.id !== selfId) errors.email = `${profile.email} is already the ISO Email of ${byEmail.name}; each ISO has its own.`
    if (profile.dingtalkDeptId !== undefined && profile.dingtalkDeptId !== null) {
      const owner = (await repos.isos.findByDingTalkDepartments([profile.dingtalkDeptId])).find((i) => i.id !== selfId)
      if (owner) errors.dingtalkDeptId = `DingTalk department ${profile.dingtalkDeptId} is already the department of ${owner.name}.`
    }
    return errors
  }

  /** Every field's rule, and the ISO Email and department not another ISO's (checked as soon as the field itself is valid). */
  const check = async (form: IsoProfileForm, selfId: string | null) => {
    const checked = checkIsoProfile(form)
    const email = v.safeParse(IsoEmailSchema, form.email)
    const conflicts = await taken({ email: email.success ? email.output : undefined, dingtalkDeptId: departmentOf(form.dingtalkDeptId) }, selfId)
    const errors = { ...conflicts, ...(checked.ok ? {} : checked.errors) }
    return Object.keys(errors).length > 0 || !checked.ok ? ({ ok: false, errors } as const) : checked
  }

  const create = async (actor: Actor, form: IsoProfileForm): Promise<IsoProfileResult> => {
    const checked = await check(form, null)
    if (!checked.ok) return { ok: false, problem: 'invalid', errors: checked.errors }
    const { profile } = checked
    const base = isoIdFor(profile.name)
    let id = base === 'iso' ? `iso-${randomUUID().slice(0, 8)}` : base
    for (let n = 2; await repos.isos.findById(id); n++) id = `${base}-${n}`
    const now = clock.now().toISOString()
    await repos.isos.insert({
      id,
      name: profile.name,
      email: profile.email,
      deployment_method: INITIAL_DEPLOYMENT_METHOD,
      timezone: profile.timezone,
      max_spots_per_store: profile.maxSpotsPerStore,
      created_at: now,
      dingtalk_dept_id: profile.dingtalkDeptId,
      region: profile.region,
    })
    const iso = (await repos.isos.findById(id)) as IsoRow
    await repos.audit.append(actor, now, { action: 'iso.create', subjectType: 'iso', subjectId: id, isoId: id, after: auditedProfile(iso) })
    return { ok: true, iso, changed: true }
  }

  const update = async (actor: Actor, id: string, form: IsoProfileForm): Promise<IsoProfileResult> => {
    const before = await repos.isos.findById(id)
    if (!before) return { ok: false, problem: 'not_found' }
    const checked = await check(form, id)
    if (!checked.ok) return { ok: false, problem: 'invalid', errors: checked.errors }
    await repos.isos.updateProfile(id, checked.profile)
    const iso = (await repos.isos.findById(id)) as IsoRow
    // only the fields that changed, before and after
    const [was, now] = [auditedProfile(before), auditedProfile(iso)]
    const changed = Object.keys(now).filter((k) => was[k] !== now[k])
    if (changed.length === 0) return { ok: true, iso, changed: false }
    await repos.audit.append(actor, clock.now().toISOString(), {
      action: 'iso.update',
      subjectType: 'iso',
      subjectId: id,
      isoId: id,
      before: Object.fromEntries(changed.map((k) => [k, was[k]])),
      after: Object.fromEntries(changed.map((k) => [k, now[k]])),
    })
    return { ok: true, iso, changed: true }
  }

  /** A unique violation between the check and the write (another administrator at the same moment): the field's message. */
  const raced = async (run: () => Promise<IsoProfileResult>, form: IsoProfileForm, selfId: string | null): Promise<IsoProfileResult> => {
    try {
      return await db.transaction(run)
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      const checked = await check(form, selfId)
      const errors = checked.ok ? {} : checked.errors
      return {
        ok: false,
        problem: 'invalid',
        errors: Object.keys(errors).length
          ? errors
          : { email: 'Another administrator saved an ISO with this ISO Email or department just now; check and try again.' },
      }
    }
  }

  return {
    setSpotLimit: (actor: Actor, id: string, maxSpotsPerStore: number): Promise<IsoChangeResult> => db.transaction(() => settings(actor, id, maxSpotsPerStore)),
    /** Onboards an ISO (administrators); every field checked, the creation audited. */
    create: (actor: Actor, form: IsoProfileForm): Promise<IsoProfileResult> => raced(() => create(actor, form), form, null),
    /** Edits an ISO's profile (administrators); every field checked, the change audited (fields before and after). */
    update: (actor: Actor, id: string, form: IsoProfileForm): Promise<IsoProfileResult> => raced(() => update(actor, id, form), form, id),
    setDepartment: (actor: Actor, id: string, deptId: number | null): Promise<IsoChangeResult> => db.transaction(() => department(actor, id, deptId)),
  }
}

export type IsoService = ReturnType<typeof createIsoService>
