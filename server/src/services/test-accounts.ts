import type { TestAccountSecret } from '../../../packages/contract/api'
import type { Clock } from '../clock'
import type { Db } from '../db'
import { ApiError } from '../errors'
import type { Repos } from '../repo'
import type { Actor } from '../repo/audit'
import type { StaffRow } from '../repo/staff'
import type { TestAccountRow } from '../repo/test-accounts'
import { SEED_STAFF } from '../seed'
import type { TestAccountCipher } from '../test-accounts/crypto'
import { isWithIso, testAccountOf } from '../views'

/** Who wrote the demo test accounts (development mode). */
const DEMO_ACTOR: Actor = { id: 'demo-data', name: 'demo data (development mode)', role: 'system' }

/** The audit trail's subject of a staff member's test account. */
export const TEST_ACCOUNT_SUBJECT = 'test_account'

export type TestAccountChange =
  { ok: true; staff: StaffRow; account: TestAccountRow | null } | { ok: false; problem: 'not_found' | 'no_iso' | 'password_required' | 'nothing_to_withdraw' }

interface Deps {
  db: Db
  repos: Repos
  clock: Clock
  cipher: TestAccountCipher
  log: (level: 'warn', event: Record<string, unknown>, message: string) => void
}

/** What the audit trail keeps of an account: never the password, only whether one is set. */
const audited = (row: TestAccountRow | null | undefined) => (row ? { email: row.email, passwordSet: row.password_sealed !== null } : null)

/**
 * The Alipay test accounts ISOs assign to their staff: assigned, changed and withdrawn in the console (each
 * change audited in its transaction), the password sealed under the server's key; revealed to the staff member
 * alone (each reveal audited).
 */
export function createTestAccountService({ db, repos, clock, cipher, log }: Deps) {
  /** The staff member's account, when the ISO they are with assigned it. */
  const current = async (staff: StaffRow): Promise<TestAccountRow | null> => {
    const row = await repos.testAccounts.findByStaff(staff.id)
    return row && testAccountOf(staff, row) ? row : null
  }

  const assign = async (actor: Actor, staffId: string, input: { email: string; password: string | null }): Promise<TestAccountChange> => {
    const staff = await repos.staff.findById(staffId)
    if (!staff) return { ok: false, problem: 'not_found' }
    if (!isWithIso(staff)) return { ok: false, problem: 'no_iso' }
    const before = await current(staff)
    // an empty password keeps the one set (of this ISO's account); a new account needs one
    const sealed = input.password !== null ? cipher.seal(staff.id, input.password) : (before?.password_sealed ?? null)
    if (sealed === null) return { ok: false, problem: 'password_required' }
    const at = clock.now().toISOString()
    await repos.testAccounts.put({ staffId: staff.id, isoId: staff.iso_id, email: input.email, passwordSealed: sealed, at, byId: actor.id, byName: actor.name })
    const after = (await repos.testAccounts.findByStaff(staff.id)) as TestAccountRow
    await repos.audit.append(actor, at, {
      action: before ? 'test_account.change' : 'test_account.assign',
      subjectType: TEST_ACCOUNT_SUBJECT,
      subjectId: staff.id,
      isoId: staff.iso_id,
      before: audited(before),
      after: { ...audited(after), passwordChanged: input.password !== null },
    })
    return { ok: true, staff, account: after }
  }

  const withdraw = async (actor: Actor, staffId: string): Promise<TestAccountChange> => {
    const staff = await repos.staff.findById(staffId)
    if (!staff) return { ok: false, problem: 'not_found' }
    const before = await repos.testAccounts.findByStaff(staff.id)
    if (!before) return { ok: false, problem: 'nothing_to_withdraw' }
    await repos.testAccounts.remove(staff.id)
    await repos.audit.append(actor, clock.now().toISOString(), {
      action: 'test_account.withdraw',
      subjectType: TEST_ACCOUNT_SUBJECT,
      subjectId: staff.id,
      isoId: before.iso_id,
      before: audited(before),
    })
    return { ok: true, staff, account: null }
  }

  return {
    /** The account shown on Staff Details (the ISO reviewer's own staff: the route checks the scope). */
    forStaff: (staff: StaffRow): Promise<TestAccountRow | null> => current(staff),
    assign: (actor: Actor, staffId: string, input: { email: string; password: string | null }) => db.transaction(() => assign(actor, staffId, input)),
    withdraw: (actor: Actor, staffId: string) => db.transaction(() => withdraw(actor, staffId)),

    /** The staff member's own account with its password; the reveal is audited (the staff member is the actor). */
    reveal: (staff: StaffRow): Promise<TestAccountSecret> =>
      db.transaction(async () => {
        const row = await current(staff)
        if (!row || row.password_sealed === null) {
          throw new ApiError(404, 'TEST_ACCOUNT_NONE', 'Your ISO has not assigned you an Alipay test account with a password.')
        }
        const password = cipher.open(staff.id, row.password_sealed)
        if (password === null) {
          // the key changed or the value was altered: said without the value, and the ISO sets it again
          log('warn', { staffId: staff.id, isoId: row.iso_id }, 'a test account password does not open with TEST_ACCOUNT_KEY')
          throw new ApiError(409, 'TEST_ACCOUNT_UNREADABLE', 'Your test account could not be read; your ISO needs to set its password again.')
        }
        await repos.audit.append({ id: staff.id, name: staff.name, role: 'staff' }, clock.now().toISOString(), {
          action: 'test_account.reveal',
          subjectType: TEST_ACCOUNT_SUBJECT,
          subjectId: staff.id,
          isoId: row.iso_id,
          after: { email: row.email },
        })
        return { email: row.email, password }
      }),

    /**
     * Development mode: the demo staff's test accounts (seed.ts), sealed with this server's key, for each demo
     * staff member whose test account was never assigned, changed or withdrawn (the audit trail says), so that a
     * withdrawal in the console is not undone by the next start.
     */
    seedDemo: (): Promise<void> =>
      db.transaction(async () => {
        for (const demo of SEED_STAFF) {
          if (!demo.testAccount || demo.isoId === null) continue
          const staff = await repos.staff.findById(demo.id)
          if (!staff || staff.iso_id !== demo.isoId) continue
          const history = await repos.audit.forSubject(TEST_ACCOUNT_SUBJECT, staff.id)
          if (history.length > 0) continue
          await assign(DEMO_ACTOR, staff.id, demo.testAccount)
        }
      }),
  }
}

export type TestAccountService = ReturnType<typeof createTestAccountService>
