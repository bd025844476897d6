import type { Db } from './db'
import type { AssociationStatus, DeploymentMethod } from '../../types/api'

interface SeedIso {
  id: string
  name: string
  email: string
  deploymentMethod: DeploymentMethod
  timezone: string
  maxSpotsPerStore: number
}

interface SeedStaff {
  id: string
  name: string
  phone: string
  isoId: string | null
  status: AssociationStatus
  testAccountEmail: string | null
}

export const SEED_ISOS: readonly SeedIso[] = [
  {
    id: 'iso-lioncity',
    name: 'Lion City Payments Pte. Ltd.',
    email: 'ops@lioncitypay.example',
    deploymentMethod: 'VERIFY_THEN_DEPLOY',
    timezone: 'Asia/Singapore',
    maxSpotsPerStore: 5,
  },
  {
    id: 'iso-nusantara',
    name: 'Nusantara Merchant Services',
    email: 'partners@nusantara-ms.example',
    deploymentMethod: 'DEPLOY_THEN_VERIFY',
    timezone: 'Asia/Jakarta',
    maxSpotsPerStore: 3,
  },
]

/** Phone numbers are valid for their country (checked with libphonenumber-js/min by the seed test). */
export const SEED_STAFF: readonly SeedStaff[] = [
  { id: 'staff-aisyah', name: 'Aisyah Rahman', phone: '+60123456789', isoId: null, status: 'none', testAccountEmail: null },
  { id: 'staff-farah', name: 'Farah Ismail', phone: '+6591234567', isoId: null, status: 'none', testAccountEmail: null },
  { id: 'staff-budi', name: 'Budi Santoso', phone: '+6281234567890', isoId: 'iso-nusantara', status: 'invited', testAccountEmail: null },
  {
    id: 'staff-chen',
    name: 'Chen Wei',
    phone: '+6581234567',
    isoId: 'iso-lioncity',
    status: 'associated',
    testAccountEmail: 'alipay.test.chen@lioncitypay.example',
  },
  {
    id: 'staff-dao',
    name: 'Dao Minh Anh',
    phone: '+84912345678',
    isoId: 'iso-nusantara',
    status: 'associated',
    testAccountEmail: 'alipay.test.dao@nusantara-ms.example',
  },
  // Emily's request to Nusantara awaits review (below), so she has no ISO yet.
  { id: 'staff-emily', name: 'Emily Tan', phone: '+6598765432', isoId: null, status: 'pending', testAccountEmail: null },
]

export const SEED_PENDING_REQUEST = {
  id: 'req-seed-emily',
  staffId: 'staff-emily',
  isoId: 'iso-nusantara',
  isoEmail: 'partners@nusantara-ms.example',
  name: 'Emily Tan',
  phone: '+6598765432',
} as const

/** Demo data for a new database (called once, inside the migration transaction). */
export function seedDatabase(db: Db, now: Date): void {
  const createdAt = now.toISOString()
  const insertIso = db.prepare(
    `INSERT INTO isos (id, name, email, deployment_method, timezone, max_spots_per_store, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  for (const iso of SEED_ISOS) {
    insertIso.run(iso.id, iso.name, iso.email, iso.deploymentMethod, iso.timezone, iso.maxSpotsPerStore, createdAt)
  }
  const insertStaff = db.prepare(
    `INSERT INTO staff (id, name, phone_e164, iso_id, association_status, test_account_email, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  for (const s of SEED_STAFF) {
    insertStaff.run(s.id, s.name, s.phone, s.isoId, s.status, s.testAccountEmail, createdAt)
  }
  const r = SEED_PENDING_REQUEST
  db.prepare(
    `INSERT INTO association_requests (id, staff_id, iso_id, iso_email, name, phone_e164, status, reason, created_at, decided_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', NULL, ?, NULL)`,
  ).run(r.id, r.staffId, r.isoId, r.isoEmail, r.name, r.phone, new Date(now.getTime() - 60 * 60 * 1000).toISOString())
}
