/**
 * Shared pieces of the reliability/security campaign (property-*.test.ts, security-*.test.ts): hostile
 * value generators, a read-only view of a test server's database, and the ApiErrorBody check.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { getCountries, getExampleNumber } from 'libphonenumber-js/min'
import examples from 'libphonenumber-js/examples.mobile.json'
import type { EndpointKey } from '../../packages/contract/api'
import { ERROR_CODES, type ApiErrorBody } from '../../packages/contract/errors'
import { SPOT_CONDITIONS } from '../../packages/contract/inspection'
import { MATERIAL_TYPES, SPOT_POSITIONS, STORE_CATEGORIES, WALLETS } from '../../packages/contract/promotion'
import type { SqlValue } from '../../server/src/db'
import type { TestServer } from './helpers'

// ---- error bodies -------------------------------------------------------------------------------

const KNOWN_CODES = new Set<string>(ERROR_CODES)

export function isKnownCode(code: unknown): boolean {
  return typeof code === 'string' && KNOWN_CODES.has(code)
}

/**
 * Checks that a refusal is a 4xx ApiErrorBody `{ error: { code, message, fields? } }` whose codes (the
 * answer's and every field's) are in ERROR_CODES; answers the error. Written as plain checks that throw
 * (rather than many `expect`s) so that fast-check can shrink a failure to a readable counterexample.
 */
export function expectClientError(res: LightMyRequestResponse, context = ''): ApiErrorBody['error'] {
  const where = `${context} → ${res.statusCode} ${res.body.slice(0, 300)}`
  if (res.statusCode < 400 || res.statusCode >= 500) throw new Error(`expected a 4xx answer: ${where}`)
  if (!/^application\/json/.test(String(res.headers['content-type']))) throw new Error(`expected a JSON error body: ${where}`)
  let body: ApiErrorBody
  try {
    body = JSON.parse(res.body) as ApiErrorBody
  } catch {
    throw new Error(`the error body is not JSON: ${where}`)
  }
  const error = body?.error
  if (!error || typeof error !== 'object') throw new Error(`no "error" object: ${where}`)
  if (!isKnownCode(error.code)) throw new Error(`error.code is not in ERROR_CODES: ${where}`)
  if (typeof error.message !== 'string') throw new Error(`error.message is not a string: ${where}`)
  if (error.fields !== undefined) {
    if (!error.fields || typeof error.fields !== 'object') throw new Error(`error.fields is not an object: ${where}`)
    for (const [key, code] of Object.entries(error.fields)) if (!isKnownCode(code)) throw new Error(`fields["${key}"] is not in ERROR_CODES: ${where}`)
  }
  return error
}

// ---- the database, read only --------------------------------------------------------------------

/** The tables that hold the server's state (not the ISO/staff seed alone: everything a request could change). */
export const MAIN_TABLES = [
  'isos',
  'staff',
  'association_requests',
  'sessions',
  'used_auth_codes',
  'promotions',
  'promotion_spots',
  'uploads',
  'payment_verifications',
  'marketing_code_bindings',
  'appeals',
  'resubmissions',
  'inspection_tasks',
] as const

export type DbSnapshot = Record<(typeof MAIN_TABLES)[number], { rows: number; sha256: string }> & { files: string[] }

export interface DbReader {
  /** Row count and a digest of the content of each main table, and the files of the upload folder. */
  snapshot(): Promise<DbSnapshot>
  /** Any single value (the first column of the first row), e.g. `await scalar('SELECT status FROM promotions WHERE id = ?', id)`. */
  scalar<T = unknown>(sql: string, ...params: SqlValue[]): Promise<T>
  close(): void
}

/**
 * A view of a test server's database through the helpers' second connection (`server.db`, on either
 * engine): it sees every committed transaction of the server. Rows are compared whatever order the engine
 * answers them in.
 */
export function openDbReader(server: TestServer): DbReader {
  const db = server.db
  return {
    async snapshot() {
      const snap = {} as DbSnapshot
      for (const table of MAIN_TABLES) {
        const rows = (await db.all<Record<string, unknown>>(`SELECT * FROM ${table}`)).map((row) => JSON.stringify(row)).sort()
        snap[table] = { rows: rows.length, sha256: createHash('sha256').update(rows.join('\n')).digest('hex') }
      }
      snap.files = fs.existsSync(server.uploadDir) ? fs.readdirSync(server.uploadDir).sort() : []
      return snap
    },
    async scalar<T>(sql: string, ...params: SqlValue[]): Promise<T> {
      const row = await db.get<Record<string, unknown>>(sql, params)
      return (row === undefined ? undefined : Object.values(row)[0]) as T
    },
    // the connection is the server's helpers' own, closed with the server
    close: () => undefined,
  }
}

/** Throws (for fast-check) when two snapshots differ, naming the tables that changed. */
export function expectUnchanged(before: DbSnapshot, after: DbSnapshot, context = ''): void {
  const changed = MAIN_TABLES.filter((t) => before[t].rows !== after[t].rows || before[t].sha256 !== after[t].sha256).map(
    (t) => `${t} (${before[t].rows} → ${after[t].rows} rows)`,
  )
  if (before.files.join('\n') !== after.files.join('\n')) changed.push(`upload folder (${before.files.length} → ${after.files.length} files)`)
  if (changed.length > 0) throw new Error(`stored data changed: ${changed.join(', ')} ${context}`)
}

// ---- hostile values -----------------------------------------------------------------------------

/** Strings an attacker (or a broken client) sends. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u0000\u0001\u0002\u001f\u007f\u009f',
  '\r\n\t',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE staff;--",
  "' OR '1'='1",
  '1; DELETE FROM promotions WHERE 1=1; --',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd\u0000.png',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '${7*7}{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '\u202eevil\u202c',
  '\ud800',
  '\udfff\ud800',
  '😀👨‍👩‍👧‍👦',
  '陈伟 Nguyễn Văn Ánh ﷽',
  '\u200b\u200c\u200d\ufeff',
  'APMC0000000001',
  'https://marketing.alipayplus.example/mc/APMC0000000001',
  'AP202503030000001234',
  'ops@lioncitypay.example',
  'upl-seed-kopi-storefront',
  'prm-seed-kopi',
  'ins-seed-kopi',
  'staff-chen',
] as const

/** A long string (up to `max` characters) made of a repeated hostile or random piece. */
export function hugeString(max = 100_000): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.oneof(fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length > 0)), fc.string({ minLength: 1, maxLength: 8, unit: 'binary' })),
      fc.integer({ min: 65, max }),
    )
    .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length))
}

/** Any string a hostile client could send: random (any code point, lone surrogates too), hostile, or huge. */
export function hostileString(opts: { hugeMax?: number } = {}): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
    {
      weight: 1,
      arbitrary: fc.string({
        maxLength: 300,
        unit: fc.constantFrom('\u0000', '\n', '<', '>', "'", '"', ';', '-', '/', '.', '\\', 'A', '0', ' ', '\u00e9', '\u202e'),
      }),
    },
    { weight: 1, arbitrary: hugeString(opts.hugeMax) },
  )
}

/** Numbers JSON cannot carry or that sit on the edges. */
export const HOSTILE_NUMBERS = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  -1,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 53,
  0.1,
  91,
  -181,
  50,
  49.5,
] as const

/** An object or array nested `depth` levels deep. */
export function deeplyNested(depth: number, kind: 'object' | 'array' = 'object', key = 'a'): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = kind === 'object' ? { [key]: value } : [value]
  return value
}

/** Any JavaScript value a validator may be handed: wrong types, hostile strings, odd numbers, deep nesting. */
export function hostileValue(opts: { hugeMax?: number; allowNonJson?: boolean } = {}): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    hostileString(opts),
    fc.constantFrom<unknown>(...HOSTILE_NUMBERS, true, false, null),
    fc.double(),
    fc.integer(),
    ...(opts.allowNonJson === false
      ? []
      : [fc.constantFrom<unknown>(undefined, Symbol('x'), BigInt(1), () => 1, new Date(NaN), new Map(), /x/, Object.create(null), new Uint8Array(3))]),
  )
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    {
      weight: 2,
      arbitrary: fc.anything({ maxDepth: 3, withBigInt: opts.allowNonJson !== false, withDate: opts.allowNonJson !== false, withNullPrototype: true }),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 50, max: 2000 }), fc.constantFrom<'object' | 'array'>('object', 'array'), fc.constantFrom('a', 'store', 'spots', '__proto__'))
        .map(([d, k, key]) => deeplyNested(d, k, key)),
    },
    { weight: 1, arbitrary: fc.array(leaf, { maxLength: 60 }) },
    { weight: 1, arbitrary: fc.dictionary(hostileString({ hugeMax: 200 }), leaf, { maxKeys: 8 }) },
  )
}

/** A JSON-serialisable hostile value (what an HTTP client can actually send). */
export function hostileJson(opts: { hugeMax?: number } = {}): fc.Arbitrary<unknown> {
  return hostileValue({ ...opts, allowNonJson: false }).map((v) => {
    const text = JSON.stringify(v)
    return text === undefined ? null : (JSON.parse(text) as unknown)
  })
}

/**
 * `valid` with one place replaced by a hostile value: a top-level key (or, for objects below it, a nested
 * key or an array element), deleted or replaced. The result may still be valid (a hostile value that happens
 * to fit); callers filter when they need an invalid one.
 */
export function mutated(
  valid: fc.Arbitrary<Record<string, unknown>>,
  opts: { hugeMax?: number; allowNonJson?: boolean } = {},
): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(valid, fc.nat(), fc.nat(), fc.boolean(), hostileValue(opts)).map(([base, pick, nestedPick, remove, value]) => {
    const copy = structuredClone(base)
    const keys = Object.keys(copy)
    const key = keys[pick % keys.length]
    const child = copy[key]
    if (child && typeof child === 'object' && nestedPick % 3 !== 0) {
      const holder = Array.isArray(child) ? child : (child as Record<string, unknown>)
      const childKeys = Object.keys(holder)
      if (childKeys.length > 0) {
        const ck = childKeys[nestedPick % childKeys.length]
        if (remove) delete (holder as Record<string, unknown>)[ck]
        else (holder as Record<string, unknown>)[ck] = value
        return copy
      }
    }
    if (remove) delete copy[key]
    else copy[key] = value
    return copy
  })
}

// ---- valid values -------------------------------------------------------------------------------

/**
 * Countries whose staff the program serves (the phone rule must accept their numbers; numbers of other
 * countries may be refused: packages/contract/rules/phone.ts checks against metadata for the program's countries only).
 */
export const PROGRAM_COUNTRIES = ['SG', 'MY', 'ID', 'TH', 'VN', 'PH', 'HK', 'CN', 'JP', 'KR', 'AU', 'GB', 'US'] as const

/** Each program country's example mobile number (libphonenumber's metadata), E.164 and international format. */
export const EXAMPLE_PHONES: readonly string[] = PROGRAM_COUNTRIES.flatMap((country) => {
  const n = getExampleNumber(country, examples)
  return n ? [n.number as string, n.formatInternational()] : []
})

/** Every country's example mobile number in E.164 (some may be outside the phone rule's countries). */
export const WORLD_PHONES: readonly string[] = getCountries().flatMap((country) => {
  const n = getExampleNumber(country, examples)
  return n ? [n.number as string] : []
})

const padding = fc.constantFrom('', ' ', '  ', '\t', '\n', ' \u00a0')

/** A phone number the schema accepts: a real mobile number, maybe with whitespace around it. */
export const validPhone: fc.Arbitrary<string> = fc.tuple(padding, fc.constantFrom(...EXAMPLE_PHONES), padding).map(([a, p, b]) => `${a}${p}${b}`)

/** An email address valibot's `email()` accepts. */
export const validEmail: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.stringMatching(/^[a-z0-9_+-]{1,10}$/), { minLength: 1, maxLength: 3 }),
    fc.array(fc.stringMatching(/^[a-z0-9]{1,10}$/), { minLength: 1, maxLength: 3 }),
    fc.stringMatching(/^[a-z]{2,8}$/),
    fc.boolean(),
  )
  .map(([local, labels, tld, upper]) => {
    const email = `${local.join('.')}@${labels.join('-')}.${tld}`
    return upper ? email.toUpperCase() : email
  })

const NAME_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', ' ', ' ', "'", '-', '.', 'é', 'ü', 'ñ', 'Ā', '陈', '伟', 'ก', 'ă', 'ễ', '김']

/** Text of `min`..`max` characters (after trimming), no control characters, no `<>{}`. */
export function validText(min: number, max: number, chars: readonly string[] = NAME_CHARS): fc.Arbitrary<string> {
  const letters = chars.filter((c) => c.trim() !== '')
  return fc
    .tuple(
      fc.constantFrom(...letters),
      fc.array(fc.constantFrom(...chars), { minLength: Math.max(0, min - 2), maxLength: Math.max(0, max - 2) }),
      fc.constantFrom(...letters),
    )
    .map(([first, middle, last]) => `${first}${middle.join('')}${last}`)
}

export const validClientId: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/)
export const validId: fc.Arbitrary<string> = fc.string({ minLength: 1, maxLength: 64 })
export const validTime: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
  fc.constant('24:00'),
)
export const validReference: fc.Arbitrary<string> = fc.tuple(padding, fc.stringMatching(/^\d{18}$/), padding).map(([a, d, b]) => `${a}AP${d}${b}`)
export const validMarketingCode: fc.Arbitrary<string> = fc
  .tuple(fc.stringMatching(/^[0-9A-Z]{10}$/), fc.boolean())
  .map(([code, asUrl]) => (asUrl ? `https://marketing.alipayplus.example/mc/APMC${code}` : `APMC${code}`))

// ---- valid payloads (whole schemas) ---------------------------------------------------------------

export const geoPoint = fc.record({
  latitude: fc.double({ min: -90, max: 90, noNaN: true }),
  longitude: fc.double({ min: -180, max: 180, noNaN: true }),
  accuracy: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: null }),
  mocked: fc.boolean(),
})

export const wallets = fc.uniqueArray(fc.constantFrom(...WALLETS), { minLength: 1, maxLength: WALLETS.length })

export const validStore = (storefrontPhotoId: fc.Arbitrary<string> = validId) =>
  fc.record({
    name: validText(2, 100),
    address: validText(5, 200, [...'0123456789abcdefghij ,./#-', 'Jl.', ' No.', '街']),
    category: fc.constantFrom(...STORE_CATEGORIES),
    wallets,
    managerConsent: fc.constant(true as const),
    openingTime: validTime,
    closingTime: validTime,
    location: geoPoint,
    storefrontPhotoId,
  })

export const validMerchant = fc.record({
  contactName: validText(2, 64),
  contactPhone: validPhone,
  legalName: validText(2, 128),
  acquirerMerchantId: fc.stringMatching(/^[A-Za-z0-9-]{4,32}$/),
  notes: fc.oneof(fc.constant(''), fc.string({ maxLength: 400 })),
})

export const validAssociation = fc.record({ isoEmail: validEmail, name: validText(2, 64), phone: validPhone })

export const validPayment = fc.record({
  mode: fc.constantFrom('MPM' as const, 'UPM' as const),
  tool: fc.constantFrom('ALIPAY' as const, 'ALIPAY_PLUS_LINKER' as const),
  reference: validReference,
  photoId: validId,
  wallets,
})

export const positionNote = fc.option(fc.string({ maxLength: 100 }), { nil: undefined })

/** A whole submission: distinct photos (storefront and spots) and, for Marketing Codes, distinct codes. */
export const validSubmission = (withVerifications: boolean) =>
  fc
    .tuple(
      fc.constantFrom('MARKETING_CODE' as const, 'PRIMARY_POSM' as const),
      fc.uniqueArray(validId, { minLength: 2, maxLength: 8 }),
      fc.uniqueArray(validMarketingCode, { minLength: 7, maxLength: 7, selector: (c) => c.replace(/^.*\//, '') }),
      validClientId,
      validStore(),
      validMerchant,
      fc.array(fc.constantFrom(...SPOT_POSITIONS), { minLength: 7, maxLength: 7 }),
      fc.array(fc.constantFrom(...MATERIAL_TYPES), { minLength: 7, maxLength: 7 }),
      fc.array(positionNote, { minLength: 7, maxLength: 7 }),
      fc.array(fc.string({ maxLength: 64 }), { maxLength: 10 }),
    )
    .map(([product, photos, codes, clientId, store, merchant, positions, materials, notes, verificationIds]) => {
      const [storefront, ...spotPhotos] = photos
      const spots = spotPhotos.map((photoId, i) => ({
        position: positions[i],
        photoId,
        ...(notes[i] === undefined ? {} : { positionNote: notes[i] }),
        ...(product === 'MARKETING_CODE' ? { marketingCode: codes[i] } : { materialType: materials[i] }),
      }))
      return {
        clientId,
        product,
        store: { ...store, storefrontPhotoId: storefront },
        merchant,
        spots,
        ...(withVerifications ? { paymentVerificationIds: verificationIds } : {}),
      }
    })

export const appealReason = fc
  .tuple(validText(10, 400, [...'abcdefghijklmnopqrstuvwxyz ', '\n', '\t', '\r', 'é', '陈']), fc.constantFrom('', ' ', '\n'))
  .map(([reason, pad]) => `${pad}${reason}${pad}`)

export const validAppeal = fc.record({
  clientId: validClientId,
  reason: appealReason,
  photoIds: fc.array(validId, { maxLength: 5 }),
})

export const spotResult = (index: number) =>
  fc
    .tuple(fc.constantFrom(...SPOT_CONDITIONS), validId, fc.option(fc.string({ maxLength: 200 }), { nil: undefined }), validText(1, 400, [...'abc xyz.\n\t']))
    .map(([condition, photoId, scannedCode, feedback]) => ({
      index,
      condition,
      photoId,
      ...(scannedCode === undefined ? {} : { scannedCode }),
      feedback: condition === 'PRESENT' && index % 2 === 0 ? '' : feedback,
    }))

export const validInspection = fc.integer({ min: 1, max: 6 }).chain((count) =>
  fc.record({
    clientId: validClientId,
    store: fc.record({
      open: fc.boolean(),
      sameStore: fc.boolean(),
      storefrontPhotoId: validId,
      location: fc.option(geoPoint, { nil: null }),
      distanceMeters: fc.option(fc.double({ min: 0, max: 1e7, noNaN: true }), { nil: null }),
      feedback: fc.oneof(fc.constant(''), validText(1, 500, [...'abc .,\n'])),
    }),
    spots: fc.tuple(...Array.from({ length: count }, (_, i) => spotResult(i))),
    paymentVerificationIds: fc.array(fc.string({ maxLength: 64 }), { maxLength: 10 }),
  }),
)

// ---- the routes (from the contract) ------------------------------------------------------------

/*
 * Every authenticated route of the API, listed from the contract (`Endpoints` of packages/contract/api.ts) so that a new
 * endpoint without an entry here fails to compile; plus the multipart upload routes, which are outside it.
 */

/** The endpoints that need no session. */
export type PublicEndpoint = 'POST /api/auth/dingtalk' | 'POST /api/auth/dev' | 'GET /api/auth/dev/staff'
export type AuthenticatedEndpoint = Exclude<EndpointKey, PublicEndpoint> | 'POST /api/uploads' | 'GET /api/uploads/:id'

/** The ids a route's `:id` stands for, by kind of resource. */
export type IdKind = 'request' | 'promotion' | 'inspection' | 'upload'

export interface RouteSpec {
  /** The kind of resource `:id` names, for the routes that have one. */
  id?: IdKind
  /** A plausible body (JSON unless `multipart`). */
  body?: unknown
  multipart?: boolean
}

/** `satisfies Record<…>`: every key of Endpoints (but the sign-ins) must be listed. */
export const AUTHENTICATED_ROUTES = {
  'GET /api/me': {},
  'GET /api/association': {},
  'POST /api/association/requests': { body: { isoEmail: 'ops@lioncitypay.example', name: 'Mallory Tan', phone: '+6591234567' } },
  'GET /api/association/requests/:id': { id: 'request' },
  'POST /api/association/join': { body: {} },
  // an ISO's name is no one's record: any staff member may look one up by its QR code's id
  'GET /api/association/iso': {},
  'POST /api/association/check': { body: {} },
  'GET /api/workspace': {},
  'POST /api/test-account/reveal': { body: {} },
  'POST /api/marketing-codes/check': { body: { code: 'APMC0000009999' } },
  'POST /api/payment-verifications': {
    body: { mode: 'MPM', tool: 'ALIPAY_PLUS_LINKER', reference: 'AP202503030000001234', photoId: 'upl-x', wallets: ['DANA'] },
  },
  'POST /api/promotions': { body: {} },
  'GET /api/promotions': {},
  'GET /api/promotions/:id': { id: 'promotion' },
  'POST /api/promotions/:id/payment-verifications': {
    id: 'promotion',
    body: { mode: 'MPM', tool: 'ALIPAY_PLUS_LINKER', reference: 'AP202503030000001234', photoId: 'upl-x', wallets: ['DANA'] },
  },
  'GET /api/results/summary': {},
  'GET /api/results/promotions': {},
  'GET /api/results/promotions/:id': { id: 'promotion' },
  'POST /api/promotions/:id/appeals': {
    id: 'promotion',
    body: { clientId: 'campaign-appeal-1', reason: 'Please look at the storefront again.', photoIds: [] },
  },
  'POST /api/promotions/:id/resubmissions': { id: 'promotion', body: {} },
  'GET /api/inspections': {},
  'GET /api/inspections/:id': { id: 'inspection' },
  'POST /api/inspections/:id/payment-verifications': { id: 'inspection', body: {} },
  'POST /api/inspections/:id/submissions': { id: 'inspection', body: {} },
  'POST /api/uploads': { multipart: true },
  'GET /api/uploads/:id': { id: 'upload' },
} as const satisfies Record<AuthenticatedEndpoint, RouteSpec>

export interface Route extends RouteSpec {
  key: AuthenticatedEndpoint
  method: 'GET' | 'POST'
  path: string
}

export const ROUTES: readonly Route[] = (Object.entries(AUTHENTICATED_ROUTES) as Array<[AuthenticatedEndpoint, RouteSpec]>).map(([key, spec]) => {
  const [method, path] = key.split(' ') as ['GET' | 'POST', string]
  return { key, method, path, ...spec }
})

/** The routes whose path names a resource (`:id`). */
export const ID_ROUTES: readonly Route[] = ROUTES.filter((r) => r.id !== undefined)

/** `text` with lone surrogates (which no URL can carry) replaced by U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
}

/** The path with `:id` replaced (URL-encoded). */
export function urlOf(route: Route, id = ''): string {
  return route.path.replace(':id', encodeURIComponent(wellFormed(id)))
}
