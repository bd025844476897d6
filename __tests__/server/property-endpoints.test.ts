/**
 * Property-based tests of the HTTP endpoints (fastify.inject): every POST endpoint with a JSON body answers
 * random and hostile payloads with a 4xx ApiErrorBody whose codes are in ERROR_CODES — never a 5xx — and
 * stores nothing (every main table and the upload folder compared before and after each request). Uploads:
 * random multipart bodies, odd file names and non-image bytes are refused and store nothing; an image under a
 * hostile name is stored under a random name only.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import type * as v from 'valibot'
import { DEVELOPMENT_MARKETING_CODE_FORMAT } from '../../packages/contract/rules/marketing-code-dev'
import { marketingCodeReader } from '../../packages/contract/rules/marketing-code'
import type { UploadView } from '../../packages/contract/promotion'
import {
  AppealSchema,
  AssociationRequestSchema,
  DevSignInSchema,
  DingTalkSignInSchema,
  InspectionSubmissionSchema,
  PaymentVerificationSchema,
  PromotionCreateSchema,
  ResubmissionSchema,
  validate,
} from '../../packages/contract/schemas'
import {
  HOSTILE_STRINGS,
  expectClientError,
  expectUnchanged,
  hostileJson,
  hostileString,
  mutated,
  openDbReader,
  validAppeal,
  validAssociation,
  validEmail,
  validInspection,
  validPayment,
  validSubmission,
  type DbReader,
} from './campaign-helpers'
import { startTestServer, type TestServer } from './helpers'
import { SEEDED } from './inspection-fixtures'
import { png } from './promotion-fixtures'
import { review, submit } from './results-fixtures'

// Property runs are short (well under a second each) but the machine may be busy: leave them room.
jest.setTimeout(30_000)

/** Runs per endpoint and kind of payload: bounded so that the whole file stays within a few seconds. */
const RUNS = 60
const RAW_RUNS = 40
/** A hostile string may be this long: most JSON bodies stay under the 64 KB limit, some go over it (413). */
const HUGE = 70_000

const hostileId = fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length > 0 && s.length <= 64))

interface EndpointCase {
  name: string
  url: () => string
  token: () => string | undefined
  /** Payloads to send (JSON values). */
  bodies: () => fc.Arbitrary<unknown>
  /** A body for which a 2xx answer is legitimate (filtered out of the hostile payloads). */
  acceptable?: (body: unknown) => boolean
}

describe('POST endpoints under random and hostile JSON payloads', () => {
  let server: TestServer
  let db: DbReader
  const tokens: Record<'chen' | 'dao' | 'aisyah', string> = { chen: '', dao: '', aisyah: '' }
  /** chen's promotion, rejected (store) by the reviewer: appeal and resubmission are open. */
  let rejected = ''
  /** dao's Deploy-Then-Verify promotion awaiting payment verification. */
  let awaiting = ''
  /** Every staff member's id (a refused request adds none): the development sign-in accepts these. */
  let staffIds = new Set<string>()

  beforeAll(async () => {
    server = await startTestServer()
    tokens.chen = await server.signIn('staff-chen')
    tokens.dao = await server.signIn('staff-dao')
    tokens.aisyah = await server.signIn('staff-aisyah')
    rejected = (await submit(server, tokens.chen, 'staff-chen')).id
    await review(server, rejected, 'reject', ['approve', 'approve'])
    awaiting = (await submit(server, tokens.dao, 'staff-dao')).id
    db = openDbReader(server)
    expect(await db.scalar('SELECT status FROM promotions WHERE id = ?', rejected)).toBe('REJECTED')
    expect(await db.scalar('SELECT status FROM promotions WHERE id = ?', awaiting)).toBe('AWAITING_PAYMENT_VERIFICATION')
    staffIds = new Set((await server.db.all<{ id: string }>('SELECT id FROM staff')).map((r) => r.id))
  })
  afterAll(async () => {
    db.close()
    await server.close()
  })

  /** Hostile values, valid payloads with one part broken (refused by `schema`), and any extra `more`. */
  function against(schema: v.GenericSchema, valid: fc.Arbitrary<Record<string, unknown>>, ...more: Array<fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
    const broken = mutated(valid, { hugeMax: HUGE, allowNonJson: false })
      .map((body) => JSON.parse(JSON.stringify(body)) as unknown)
      .filter((body) => !validate(schema, body).ok)
    return fc.oneof(hostileJson({ hugeMax: HUGE }), broken, ...more)
  }

  const knownIsoEmail = (email: unknown) =>
    typeof email === 'string' && ['ops@lioncitypay.example', 'partners@nusantara-ms.example'].includes(email.trim().toLowerCase())

  const CASES: EndpointCase[] = [
    {
      name: 'POST /api/auth/dingtalk',
      url: () => '/api/auth/dingtalk',
      token: () => undefined,
      // any well-formed code signs someone in: only refused payloads here
      bodies: () => hostileJson({ hugeMax: HUGE }).filter((b) => !validate(DingTalkSignInSchema, b).ok),
    },
    {
      name: 'POST /api/auth/dev',
      url: () => '/api/auth/dev',
      token: () => undefined,
      bodies: () => fc.oneof(hostileJson({ hugeMax: HUGE }), fc.record({ staffId: hostileString({ hugeMax: HUGE }) })),
      acceptable: (b) => {
        const parsed = validate(DevSignInSchema, b)
        return parsed.ok && staffIds.has(parsed.value.staffId)
      },
    },
    {
      name: 'POST /api/association/requests',
      url: () => '/api/association/requests',
      token: () => tokens.aisyah,
      // valid requests to an ISO nobody uses → 422 ISO_UNKNOWN, nothing stored
      bodies: () =>
        against(
          AssociationRequestSchema,
          validAssociation,
          validAssociation.map((b) => ({ ...b, isoEmail: b.isoEmail.replace('@', '@x-') })),
        ),
      acceptable: (b) => validate(AssociationRequestSchema, b).ok && knownIsoEmail((b as { isoEmail: unknown }).isoEmail),
    },
    {
      name: 'POST /api/association/join',
      url: () => '/api/association/join',
      token: () => tokens.aisyah,
      bodies: () => hostileJson({ hugeMax: HUGE }),
    },
    {
      name: 'POST /api/marketing-codes/check',
      url: () => '/api/marketing-codes/check',
      token: () => tokens.chen,
      bodies: () => fc.oneof(hostileJson({ hugeMax: HUGE }), fc.record({ code: hostileString({ hugeMax: HUGE }) })),
      // a free, well-formed code is answered 200 (and stores nothing either)
      acceptable: (b) => {
        const code = (b as { code?: unknown } | null)?.code
        return typeof code === 'string' && marketingCodeReader(DEVELOPMENT_MARKETING_CODE_FORMAT).read(code) !== null
      },
    },
    {
      name: 'POST /api/payment-verifications',
      url: () => '/api/payment-verifications',
      token: () => tokens.chen,
      // well-formed evidence with a photo that is not chen's upload → 422 PHOTO_MISSING
      bodies: () =>
        against(
          PaymentVerificationSchema,
          validPayment,
          fc.tuple(validPayment, hostileId).map(([b, photoId]) => ({ ...b, photoId })),
        ),
    },
    {
      name: 'POST /api/promotions',
      url: () => '/api/promotions',
      token: () => tokens.chen,
      // well-formed submissions naming photos chen never uploaded → 422 (spots, hours or photos)
      bodies: () => against(PromotionCreateSchema, validSubmission(true), validSubmission(true)),
    },
    {
      name: 'POST /api/promotions/:id/payment-verifications',
      url: () => `/api/promotions/${awaiting}/payment-verifications`,
      token: () => tokens.dao,
      bodies: () =>
        against(
          PaymentVerificationSchema,
          validPayment,
          fc.tuple(validPayment, hostileId).map(([b, photoId]) => ({ ...b, photoId })),
        ),
    },
    {
      name: 'POST /api/promotions/:id/appeals',
      url: () => `/api/promotions/${rejected}/appeals`,
      token: () => tokens.chen,
      // a well-formed appeal whose photos are not chen's uploads → 422 PHOTO_MISSING (an appeal without photos would be accepted)
      bodies: () =>
        against(
          AppealSchema,
          validAppeal,
          fc.tuple(validAppeal, fc.array(hostileId, { minLength: 1, maxLength: 5 })).map(([b, photoIds]) => ({ ...b, photoIds })),
        ),
      acceptable: (b) => validate(AppealSchema, b).ok && (b as { photoIds: unknown[] }).photoIds.length === 0,
    },
    {
      name: 'POST /api/promotions/:id/resubmissions',
      url: () => `/api/promotions/${rejected}/resubmissions`,
      token: () => tokens.chen,
      bodies: () => against(ResubmissionSchema, validSubmission(false), validSubmission(false)),
    },
    {
      name: 'POST /api/inspections/:id/payment-verifications',
      url: () => `/api/inspections/${SEEDED.kopi}/payment-verifications`,
      token: () => tokens.chen,
      bodies: () =>
        against(
          PaymentVerificationSchema,
          validPayment,
          fc.tuple(validPayment, hostileId).map(([b, photoId]) => ({ ...b, photoId })),
        ),
    },
    {
      name: 'POST /api/inspections/:id/submissions',
      url: () => `/api/inspections/${SEEDED.laksa}/submissions`,
      token: () => tokens.chen,
      bodies: () => against(InspectionSubmissionSchema, validInspection as fc.Arbitrary<Record<string, unknown>>, validInspection),
    },
  ]

  async function send(c: EndpointCase, payload: string | Buffer | undefined, contentType: string | undefined): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = {}
    const token = c.token()
    if (token) headers.authorization = `Bearer ${token}`
    if (contentType !== undefined) headers['content-type'] = contentType
    return server.app.inject({ method: 'POST', url: c.url(), headers, ...(payload === undefined ? {} : { payload }) })
  }

  it.each(CASES)('$name: a 4xx ApiErrorBody for any JSON payload, nothing stored', async (c) => {
    const bodies = c.acceptable ? c.bodies().filter((b) => !c.acceptable?.(b)) : c.bodies()
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const before = await db.snapshot()
        const res = await send(c, JSON.stringify(body), 'application/json')
        expectClientError(res, c.name)
        expectUnchanged(before, await db.snapshot(), c.name)
      }),
      { numRuns: RUNS },
    )
  })

  const contentTypes = fc.constantFrom<string | undefined>(
    undefined,
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'application/xml',
    'application/octet-stream',
    'image/png',
    '*/*',
    'application/json, text/plain',
    '',
  )
  const rawPayloads = fc.oneof(
    fc.string({ maxLength: 200, unit: 'binary' }),
    fc.constantFrom(
      '',
      '{',
      '{"a":',
      '[',
      'null',
      '"str"',
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":{"x":1}}}',
      '\u0000',
      '{}{}',
      '{"a":1}garbage',
      'staffId=staff-chen',
    ),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    fc.integer({ min: 10, max: 60_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
    fc.integer({ min: 10, max: 30_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
    fc.integer({ min: 65 * 1024, max: 80 * 1024 }).map((n) => JSON.stringify({ pad: 'x'.repeat(n) })),
  )

  it.each(CASES)('$name: a 4xx ApiErrorBody for any raw body and content type, nothing stored', async (c) => {
    await fc.assert(
      fc.asyncProperty(rawPayloads, contentTypes, async (payload, contentType) => {
        if (c.acceptable && typeof payload === 'string') {
          let parsed: unknown
          try {
            parsed = JSON.parse(payload)
          } catch {
            parsed = undefined
          }
          fc.pre(!c.acceptable(parsed))
        }
        const before = await db.snapshot()
        const res = await send(c, payload, contentType)
        // join ignores its body: the answer is the staff member's state (409 NOT_APPROVED for aisyah), or 400 for a body it cannot read
        expectClientError(res, `${c.name} ${contentType} ${String(payload).slice(0, 80)}`)
        expectUnchanged(before, await db.snapshot(), c.name)
      }),
      { numRuns: RAW_RUNS },
    )
  })

  it('keeps a staff member with a pending request from sending another, whatever the payload', async () => {
    const emily = await server.signIn('staff-emily')
    const valid = validAssociation.map((b) => ({ ...b, isoEmail: 'ops@lioncitypay.example' }))
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          valid,
          validAssociation,
          validEmail.map((isoEmail) => ({ isoEmail })),
        ),
        async (body) => {
          const before = await db.snapshot()
          const res = await server.api('POST', '/api/association/requests', { token: emily, body })
          const error = expectClientError(res)
          if (validate(AssociationRequestSchema, body).ok) expect(error.code).toBe('REQUEST_PENDING')
          expectUnchanged(before, await db.snapshot())
        },
      ),
      { numRuns: 30 },
    )
  })
})

// ---- uploads ------------------------------------------------------------------------------------------

const IMAGE_MAGIC = [Buffer.from([0xff, 0xd8, 0xff]), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])]
const isImage = (b: Buffer) =>
  IMAGE_MAGIC.some((m) => b.subarray(0, m.length).equals(m)) || (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP')

/** Bytes that are not a JPEG, PNG or WebP: random, text, or almost an image. */
const notAnImage = fc
  .oneof(
    fc.uint8Array({ minLength: 1, maxLength: 4096 }).map((a) => Buffer.from(a)),
    hostileString({ hugeMax: 20_000 })
      .filter((s) => s.length > 0)
      .map((s) => Buffer.from(s, 'utf8')),
    fc.constantFrom(
      Buffer.from('GIF89a\x01\x00\x01\x00'),
      Buffer.from([0xff, 0xd8]),
      Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt '),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      Buffer.from('%PDF-1.7\n'),
      Buffer.from('#!/bin/sh\nrm -rf /\n'),
      Buffer.from('PK\x03\x04'),
    ),
  )
  .filter((b) => b.length > 0 && !isImage(b))

/** File names a hostile client sends: path segments, control characters, quotes, markup, very long names. */
const oddFileName = fc.oneof(
  fc.constantFrom(
    '../../etc/passwd',
    '..\\..\\..\\windows\\system32\\drivers\\etc\\hosts',
    '/etc/passwd',
    '....//....//evil.png',
    '%2e%2e%2fevil.png',
    'evil.png\u0000.jpg',
    'a\r\nContent-Type: text/html\r\n\r\n<script>',
    '<script>alert(1)</script>.png',
    "'; DROP TABLE uploads;--.png",
    '"quoted".png',
    '\u202egnp.exe',
    'CON',
    'nul.png',
    '.htaccess',
    '',
    ' ',
    '😀.png',
  ),
  hostileString({ hugeMax: 5000 }),
  fc.integer({ min: 256, max: 8000 }).map((n) => `${'a'.repeat(n)}.png`),
)

const fieldNames = fc.constantFrom('takenAt', 'latitude', 'longitude', 'accuracy', 'mocked', 'file', '__proto__', 'x', '')
const textFields = fc.array(fc.tuple(fieldNames, hostileString({ hugeMax: 1000 })), { maxLength: 6 })

/** A multipart body built byte by byte, so that names and values are sent as they are (no escaping). */
function rawMultipart(
  parts: Array<{ name: string; value: string } | { name: string; filename: string; contentType: string; content: Buffer }>,
  boundary: string,
): Buffer {
  const chunks: Buffer[] = []
  for (const part of parts) {
    if ('value' in part) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`))
    else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.contentType}\r\n\r\n`,
        ),
      )
      chunks.push(part.content, Buffer.from('\r\n'))
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return Buffer.concat(chunks)
}

const declaredTypes = fc.constantFrom('image/png', 'image/jpeg', 'image/webp', 'image/svg+xml', 'text/html', 'application/octet-stream', 'application/x-sh', '')

describe('POST /api/uploads under random multipart bodies', () => {
  let server: TestServer
  let db: DbReader
  let chen = ''
  let seed = 50_000

  beforeAll(async () => {
    server = await startTestServer({ maxUploadBytes: 64 * 1024 })
    chen = await server.signIn('staff-chen')
    db = openDbReader(server)
  })
  afterAll(async () => {
    db.close()
    await server.close()
  })

  /** Every file under the server's temporary folder (database files excepted), relative to it. */
  function filesUnder(dir: string): string[] {
    return fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(server.dir, path.join(e.parentPath, e.name)))
      .filter((f) => !/^workspace\.sqlite(-wal|-shm)?$/.test(f))
      .sort()
  }

  function post(payload: Buffer, contentType: string): Promise<LightMyRequestResponse> {
    return server.app.inject({ method: 'POST', url: '/api/uploads', headers: { authorization: `Bearer ${chen}`, 'content-type': contentType }, payload })
  }

  it('refuses bytes that are not an image, whatever the file name, declared type and fields; stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(notAnImage, oddFileName, declaredTypes, textFields, fc.boolean(), async (content, filename, type, fields, fieldsFirst) => {
        const boundary = `----campaign${seed++}`
        const filePart = { name: 'file', filename, contentType: type, content }
        const textParts = fields.filter(([name]) => name !== 'file').map(([name, value]) => ({ name, value }))
        const payload = rawMultipart(fieldsFirst ? [...textParts, filePart] : [filePart, ...textParts], boundary)
        const before = await db.snapshot()
        const filesBefore = filesUnder(server.dir)
        const res = await post(payload, `multipart/form-data; boundary=${boundary}`)
        const error = expectClientError(res, `upload ${JSON.stringify(filename).slice(0, 60)}`)
        expect(['NOT_AN_IMAGE', 'VALIDATION_FAILED', 'PHOTO_REQUIRED', 'FILE_TOO_LARGE']).toContain(error.code)
        expectUnchanged(before, await db.snapshot())
        expect(filesUnder(server.dir)).toEqual(filesBefore)
      }),
      { numRuns: 60 },
    )
    // sixty uploads, each between two snapshots of every table: on PostgreSQL about a second a run
  }, 120_000)

  it('answers random and truncated multipart bodies with a 4xx, storing nothing', async () => {
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
      // an image upload cut short before its closing boundary
      fc.tuple(fc.nat(), oddFileName).map(([cut, filename]) => {
        const whole = rawMultipart([{ name: 'file', filename, contentType: 'image/png', content: png(seed++) }], 'xyz')
        const end = whole.lastIndexOf('\r\n--xyz--')
        return whole.subarray(0, 1 + (cut % (end - 1)))
      }),
      hostileString({ hugeMax: 20_000 }).map((s) => Buffer.from(s)),
    )
    const types = fc.constantFrom(
      'multipart/form-data; boundary=xyz',
      'multipart/form-data',
      'multipart/form-data; boundary=',
      'multipart/mixed; boundary=xyz',
      'application/json',
      'image/png',
    )
    await fc.assert(
      fc.asyncProperty(bodies, types, async (payload, type) => {
        const before = await db.snapshot()
        const res = await post(payload, type)
        expectClientError(res, `${type} ${payload.length} bytes`)
        expectUnchanged(before, await db.snapshot())
      }),
      { numRuns: 50 },
    )
  })

  it('stores an image sent under any name as <32 hex>.<ext> in the upload folder, and nothing anywhere else', async () => {
    await fc.assert(
      fc.asyncProperty(oddFileName, declaredTypes, textFields, async (filename, type, fields) => {
        const boundary = `----campaign${seed++}`
        const content = png(seed++)
        const textParts = fields.filter(([name]) => name !== 'file').map(([name, value]) => ({ name, value }))
        const payload = rawMultipart([...textParts, { name: 'file', filename, contentType: type, content }], boundary)
        const filesBefore = filesUnder(server.dir)
        const res = await post(payload, `multipart/form-data; boundary=${boundary}`)
        const added = filesUnder(server.dir).filter((f) => !filesBefore.includes(f))
        if (res.statusCode !== 201) {
          // a name or field that breaks the multipart framing (e.g. CR LF in a header) makes the body unreadable
          expectClientError(res, `image named ${JSON.stringify(filename).slice(0, 60)}`)
          expect(added).toEqual([])
          return
        }
        const view = res.json() as UploadView
        expect(view.mime).toBe('image/png')
        expect(added).toHaveLength(1)
        expect(added[0]).toMatch(/^uploads[/\\][0-9a-f]{32}\.png$/)
        expect(await db.scalar('SELECT stored_name FROM uploads WHERE id = ?', view.id)).toBe(path.basename(added[0]))
        // metadata is read leniently: absent or within range, never refused
        if (view.location) {
          expect(Math.abs(view.location.latitude)).toBeLessThanOrEqual(90)
          expect(Math.abs(view.location.longitude)).toBeLessThanOrEqual(180)
        }
        if (view.takenAt !== null) expect(Number.isNaN(Date.parse(view.takenAt))).toBe(false)
        // and it is served back byte for byte
        const back = await server.api('GET', `/api/uploads/${view.id}`, { token: chen })
        expect(back.statusCode).toBe(200)
        expect(back.rawPayload.equals(content)).toBe(true)
      }),
      { numRuns: 30 },
    )
  })
})
