import { createHash } from 'node:crypto'
import type { AssociationStatus, DeploymentMethod } from '../../packages/contract/api'
import type { MaterialType, MerchantInput, PaymentTool, ProductKind, SpotPosition, StoreInput } from '../../packages/contract/promotion'
// the port's type, not db.ts's re-export (db.ts imports this module to seed)
import type { Db } from './database/port'
import { addDays, calendarDateIn } from './timezone'

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
  /**
   * The Alipay test account the demo ISO assigned (demo data, public like the development passwords). Not written by
   * the seed: a development server encrypts it with its key at start (services/test-accounts.ts, seedDemo).
   */
  testAccount: { email: string; password: string } | null
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
  { id: 'staff-aisyah', name: 'Aisyah Rahman', phone: '+60123456789', isoId: null, status: 'none', testAccount: null },
  { id: 'staff-farah', name: 'Farah Ismail', phone: '+6591234567', isoId: null, status: 'none', testAccount: null },
  { id: 'staff-budi', name: 'Budi Santoso', phone: '+6281234567890', isoId: 'iso-nusantara', status: 'invited', testAccount: null },
  {
    id: 'staff-chen',
    name: 'Chen Wei',
    phone: '+6581234567',
    isoId: 'iso-lioncity',
    status: 'associated',
    testAccount: { email: 'alipay.test.chen@lioncitypay.example', password: 'LionCity-Demo-2025' },
  },
  {
    id: 'staff-dao',
    name: 'Dao Minh Anh',
    phone: '+84912345678',
    isoId: 'iso-nusantara',
    status: 'associated',
    testAccount: { email: 'alipay.test.dao@nusantara-ms.example', password: 'Nusantara-Demo-2025' },
  },
  // Emily's request to Nusantara awaits review (below), so she has no ISO yet.
  { id: 'staff-emily', name: 'Emily Tan', phone: '+6598765432', isoId: null, status: 'pending', testAccount: null },
]

export const SEED_PENDING_REQUEST = {
  id: 'req-seed-emily',
  staffId: 'staff-emily',
  isoId: 'iso-nusantara',
  isoEmail: 'partners@nusantara-ms.example',
  name: 'Emily Tan',
  phone: '+6598765432',
} as const

/**
 * An approved Marketing Code promotion of staff-chen, so that the demo has a bound code: scanning
 * `APMC0000000001` answers 409 CODE_BOUND. Its photos are rows only (no files: the console shows them missing).
 */
export const SEED_PROMOTION = {
  id: 'prm-seed-kopi',
  clientId: 'seed-demo-0001',
  staffId: 'staff-chen',
  isoId: 'iso-lioncity',
  boundCode: 'APMC0000000001',
  store: {
    name: 'Kopi Corner (demo)',
    address: '1 Demo Street, #01-01, Singapore 000001',
    category: 'FOOD_BEVERAGE',
    wallets: ['ALIPAY', 'GCASH', 'KAKAOPAY'],
    managerConsent: true,
    openingTime: '07:00',
    closingTime: '21:00',
    location: { latitude: 1.2834, longitude: 103.8607, accuracy: 12, mocked: false },
    storefrontPhotoId: 'upl-seed-storefront',
  } satisfies StoreInput,
  merchant: {
    contactName: 'Tan Ah Kow',
    contactPhone: '+6591234568',
    legalName: 'Kopi Corner Pte. Ltd.',
    acquirerMerchantId: 'SG-DEMO-0001',
    notes: 'Seeded demo promotion.',
  } satisfies MerchantInput,
} as const

const SEED_UPLOAD_IDS = ['upl-seed-storefront', 'upl-seed-spot-1', 'upl-seed-mpm', 'upl-seed-upm'] as const

const INSERT_PROMOTION = `INSERT INTO promotions (id, client_id, staff_id, iso_id, product, method, status, store_json, merchant_json,
    store_review_status, store_review_reason, created_at, submitted_at, decided_at, store_decided_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, 'APPROVED', ?, ?, 'APPROVED', NULL, ?, ?, ?, ?, ?)`
const INSERT_UPLOAD = `INSERT INTO uploads (id, staff_id, sha256, mime, size, stored_name, taken_at, latitude, longitude, accuracy, mocked, created_at, promotion_id)
  VALUES (?, ?, ?, 'image/jpeg', 1, ?, NULL, NULL, NULL, NULL, NULL, ?, ?)`
const INSERT_SPOT = `INSERT INTO promotion_spots (promotion_id, idx, position, position_note, photo_id, marketing_code, material_type, review_status, review_reason, decided_at)
  VALUES (?, ?, ?, NULL, ?, ?, ?, 'APPROVED', NULL, ?)`
const INSERT_BINDING = 'INSERT INTO marketing_code_bindings (code, promotion_id, spot_idx, bound_at) VALUES (?, ?, ?, ?)'
const INSERT_VERIFICATION = `INSERT INTO payment_verifications (id, staff_id, promotion_id, mode, tool, reference, photo_id, status, reason, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, 'PASSED', NULL, ?)`

async function seedPromotion(db: Db, now: Date): Promise<void> {
  const p = SEED_PROMOTION
  const createdAt = new Date(now.getTime() - 2 * 24 * 60 * 60 * 1000).toISOString()
  const decidedAt = new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString()
  await db.run(INSERT_PROMOTION, [
    p.id,
    p.clientId,
    p.staffId,
    p.isoId,
    'MARKETING_CODE',
    'VERIFY_THEN_DEPLOY',
    JSON.stringify(p.store),
    JSON.stringify(p.merchant),
    createdAt,
    createdAt,
    decidedAt,
    decidedAt,
    decidedAt,
  ])
  for (const [i, id] of SEED_UPLOAD_IDS.entries()) {
    const sha256 = createHash('sha256').update(`seed:${id}`).digest('hex')
    // a name in the stored form whose file does not exist
    await db.run(INSERT_UPLOAD, [id, p.staffId, sha256, `${String(i + 1).padStart(32, '0')}.jpg`, createdAt, p.id])
  }
  await db.run(INSERT_SPOT, [p.id, 0, 'CASHIER_COUNTER', 'upl-seed-spot-1', p.boundCode, null, decidedAt])
  await db.run(INSERT_BINDING, [p.boundCode, p.id, 0, createdAt])
  await db.run(INSERT_VERIFICATION, ['pv-seed-mpm', p.staffId, p.id, 'MPM', 'ALIPAY_PLUS_LINKER', 'AP202503010000000001', 'upl-seed-mpm', createdAt])
  await db.run(INSERT_VERIFICATION, ['pv-seed-upm', p.staffId, p.id, 'UPM', 'ALIPAY_PLUS_LINKER', 'AP202503010000000002', 'upl-seed-upm', createdAt])
}

interface SeedSpot {
  position: SpotPosition
  code?: string
  material?: MaterialType
}

/** Further approved promotions, older (45 days before the seed time: outside the current month's figures), to inspect. */
interface SeedApprovedPromotion {
  id: string
  clientId: string
  staffId: string
  isoId: string
  product: ProductKind
  method: DeploymentMethod
  tool: PaymentTool
  store: StoreInput
  merchant: MerchantInput
  spots: SeedSpot[]
}

export const SEED_INSPECTION_PROMOTIONS: readonly SeedApprovedPromotion[] = [
  {
    id: 'prm-seed-laksa',
    clientId: 'seed-demo-0002',
    staffId: 'staff-chen',
    isoId: 'iso-lioncity',
    product: 'MARKETING_CODE',
    method: 'VERIFY_THEN_DEPLOY',
    tool: 'ALIPAY',
    store: {
      name: 'Laksa House (demo)',
      address: '8 Demo Road, #01-08, Singapore 000008',
      category: 'FOOD_BEVERAGE',
      wallets: ['ALIPAY'],
      managerConsent: true,
      openingTime: '10:00',
      closingTime: '22:00',
      location: { latitude: 1.3006, longitude: 103.8559, accuracy: 10, mocked: false },
      storefrontPhotoId: 'upl-seed-laksa-storefront',
    },
    merchant: {
      contactName: 'Lim Mei Ling',
      contactPhone: '+6591234569',
      legalName: 'Laksa House Pte. Ltd.',
      acquirerMerchantId: 'SG-DEMO-0002',
      notes: 'Seeded demo promotion with two spots.',
    },
    spots: [
      { position: 'CASHIER_COUNTER', code: 'APMC0000000002' },
      { position: 'TABLE', code: 'APMC0000000003' },
    ],
  },
  {
    id: 'prm-seed-warung',
    clientId: 'seed-demo-0003',
    staffId: 'staff-dao',
    isoId: 'iso-nusantara',
    product: 'PRIMARY_POSM',
    method: 'DEPLOY_THEN_VERIFY',
    tool: 'ALIPAY_PLUS_LINKER',
    store: {
      name: 'Warung Sate (demo)',
      address: '5 Jalan Demo, Jakarta 10110',
      category: 'FOOD_BEVERAGE',
      wallets: ['ALIPAY', 'DANA'],
      managerConsent: true,
      openingTime: '09:00',
      closingTime: '23:00',
      location: { latitude: -6.1862, longitude: 106.8227, accuracy: 15, mocked: false },
      storefrontPhotoId: 'upl-seed-warung-storefront',
    },
    merchant: {
      contactName: 'Budi Hartono',
      contactPhone: '+6281234567892',
      legalName: 'PT Warung Sate Demo',
      acquirerMerchantId: 'ID-DEMO-0003',
      notes: 'Seeded demo promotion.',
    },
    spots: [{ position: 'ENTRANCE', material: 'STAND' }],
  },
]

/** TO_DO Verification Tasks, due a few days after the seed time (in the ISO's time zone). */
export const SEED_INSPECTIONS = [
  { id: 'ins-seed-kopi', promotionId: 'prm-seed-kopi', staffId: 'staff-chen', timezone: 'Asia/Singapore', dueInDays: 3 },
  { id: 'ins-seed-laksa', promotionId: 'prm-seed-laksa', staffId: 'staff-chen', timezone: 'Asia/Singapore', dueInDays: 5 },
  { id: 'ins-seed-warung', promotionId: 'prm-seed-warung', staffId: 'staff-dao', timezone: 'Asia/Jakarta', dueInDays: 4 },
] as const

async function seedApprovedPromotion(db: Db, now: Date, p: SeedApprovedPromotion): Promise<void> {
  const createdAt = new Date(now.getTime() - 45 * 24 * 60 * 60 * 1000).toISOString()
  const decidedAt = new Date(now.getTime() - 44 * 24 * 60 * 60 * 1000).toISOString()
  await db.run(INSERT_PROMOTION, [
    p.id,
    p.clientId,
    p.staffId,
    p.isoId,
    p.product,
    p.method,
    JSON.stringify(p.store),
    JSON.stringify(p.merchant),
    createdAt,
    createdAt,
    decidedAt,
    decidedAt,
    decidedAt,
  ])
  const upload = async (id: string) => {
    const sha256 = createHash('sha256').update(`seed:${id}`).digest('hex')
    // a name in the stored form whose file does not exist
    await db.run(INSERT_UPLOAD, [id, p.staffId, sha256, `${sha256.slice(0, 32)}.jpg`, createdAt, p.id])
  }
  await upload(p.store.storefrontPhotoId)
  for (const [idx, spot] of p.spots.entries()) {
    const photoId = `${p.id.replace('prm-', 'upl-')}-spot-${idx + 1}`
    await upload(photoId)
    await db.run(INSERT_SPOT, [p.id, idx, spot.position, photoId, spot.code ?? null, spot.material ?? null, decidedAt])
    if (spot.code) await db.run(INSERT_BINDING, [spot.code, p.id, idx, createdAt])
  }
  for (const [i, mode] of (['MPM', 'UPM'] as const).entries()) {
    const photoId = `${p.id.replace('prm-', 'upl-')}-${mode.toLowerCase()}`
    await upload(photoId)
    await db.run(INSERT_VERIFICATION, [
      `${p.id.replace('prm-', 'pv-')}-${mode.toLowerCase()}`,
      p.staffId,
      p.id,
      mode,
      p.tool,
      `AP2025010100000000${i + 3}1`,
      photoId,
      createdAt,
    ])
  }
}

async function seedInspections(db: Db, now: Date): Promise<void> {
  for (const t of SEED_INSPECTIONS) {
    await db.run(`INSERT INTO inspection_tasks (id, promotion_id, staff_id, status, due_date, assigned_at) VALUES (?, ?, ?, 'TO_DO', ?, ?)`, [
      t.id,
      t.promotionId,
      t.staffId,
      addDays(calendarDateIn(now, t.timezone), t.dueInDays),
      now.toISOString(),
    ])
  }
}

/** Demo data for a new database (called once, inside the migration transaction). */
export async function seedDatabase(db: Db, now: Date): Promise<void> {
  const createdAt = now.toISOString()
  for (const iso of SEED_ISOS) {
    await db.run(
      `INSERT INTO isos (id, name, email, deployment_method, timezone, max_spots_per_store, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [iso.id, iso.name, iso.email, iso.deploymentMethod, iso.timezone, iso.maxSpotsPerStore, createdAt],
    )
  }
  for (const s of SEED_STAFF) {
    await db.run(
      `INSERT INTO staff (id, name, phone_e164, iso_id, association_status, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [s.id, s.name, s.phone, s.isoId, s.status, createdAt],
    )
  }
  const r = SEED_PENDING_REQUEST
  await db.run(
    `INSERT INTO association_requests (id, staff_id, iso_id, iso_email, name, phone_e164, status, reason, created_at, decided_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', NULL, ?, NULL)`,
    [r.id, r.staffId, r.isoId, r.isoEmail, r.name, r.phone, new Date(now.getTime() - 60 * 60 * 1000).toISOString()],
  )
  await seedPromotion(db, now)
  for (const p of SEED_INSPECTION_PROMOTIONS) await seedApprovedPromotion(db, now, p)
  await seedInspections(db, now)
}

/**
 * The demo ISOs start with their deployment method agreed, so that the demo's flows work at once (an ISO added
 * in production starts with none: its reviewer proposes one and the regional coordinator agrees it, in
 * /console/method). Run after seedDatabase on the current schema (seedDatabase itself writes only what a
 * schema-6 database holds: the upgrade test seeds one).
 */
export async function agreeSeededMethods(db: Db, now: Date): Promise<void> {
  for (const iso of SEED_ISOS) {
    await db.run('UPDATE isos SET method_agreed_at = ? WHERE id = ? AND method_agreed_at IS NULL', [now.toISOString(), iso.id])
  }
}

/** The tables whose rows are an ISO's data: a database with any of them is not a new one. */
const DATA_TABLES = ['isos', 'staff', 'association_requests', 'promotions', 'inspection_tasks'] as const

export type SeedDemoResult = { ok: true } | { ok: false; problem: 'has_demo' } | { ok: false; problem: 'has_data'; counts: Record<string, number> }

/**
 * `npm run seed:demo`: the demo data, on request, into a database that holds no ISO data yet (console accounts
 * may exist). Refused when the database already holds data: the demo must never mix with real ISOs. Call it on a
 * migrated database; it runs in one write transaction, so two calls at once seed once.
 */
export async function seedDemoOnRequest(db: Db, now: Date): Promise<SeedDemoResult> {
  return db.transaction(async () => {
    const counts: Record<string, number> = {}
    for (const table of DATA_TABLES) {
      const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)
      if (row && Number(row.n) > 0) counts[table] = Number(row.n)
    }
    if (Object.keys(counts).length > 0) {
      const demo = await db.get<{ id: string }>('SELECT id FROM isos WHERE id = ?', [SEED_ISOS[0].id])
      return demo ? { ok: false, problem: 'has_demo' } : { ok: false, problem: 'has_data', counts }
    }
    await seedDatabase(db, now)
    await agreeSeededMethods(db, now)
    return { ok: true }
  })
}
