/**
 * ISOs onboarded and edited in the console by an administrator: name, ISO Email (unique, validated), region, time
 * zone (IANA), DingTalk department, spot limit. Every field is checked with its own message (nothing saved, nothing
 * typed lost), every change is in the audit trail, and no other role may create or edit an ISO.
 */
import type { AssociationState } from '../../packages/contract/api'
import type { AuditRow } from '../../server/src/repo/audit'
import type { IsoRow } from '../../server/src/repo/isos'
import { DEV_ACCOUNT, startTestServer, type TestServer } from './helpers'

const VALID = {
  name: 'Siam Merchant Partners Co., Ltd.',
  email: 'Portal@SiamMerchant.example',
  region: 'sea',
  timezone: 'asia/bangkok',
  dingtalkDeptId: '77',
  maxSpotsPerStore: '4',
}

describe('onboarding ISOs in the console', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer()
  })
  afterEach(() => server.close())

  const admin = () => server.consoleAs(DEV_ACCOUNT.admin)
  const isoByEmail = (email: string) => server.db.get<IsoRow>('SELECT * FROM isos WHERE lower(email) = lower(?)', [email])
  const auditOf = (isoId: string) => server.db.all<AuditRow>("SELECT * FROM audit_log WHERE subject_type = 'iso' AND subject_id = ? ORDER BY seq", [isoId])
  const isoCount = async () => Number((await server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM isos'))?.n)

  it('an administrator adds an ISO: saved as checked (IANA spelling, region in capitals), audited, listed, and staff can send it a request', async () => {
    const page = await admin().get('/console/isos')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Onboard an ISO')
    expect(page.body).toContain('<option value="Asia/Singapore">')

    const res = await admin().post('/console/isos', VALID)
    expect(res.statusCode).toBe(303)
    const iso = (await isoByEmail(VALID.email))!
    expect(iso).toMatchObject({
      id: 'iso-siam-merchant-partners-co-ltd',
      name: VALID.name,
      email: VALID.email,
      region: 'SEA',
      timezone: 'Asia/Bangkok',
      dingtalk_dept_id: 77,
      max_spots_per_store: 4,
    })
    expect(res.headers.location).toBe(`/console/isos?done=created&id=${iso.id}`)
    const listed = await admin().get(res.headers.location as string)
    expect(listed.body).toContain(`Added ${VALID.name} (${VALID.email})`)
    expect(listed.body).toContain(`data-iso-id="${iso.id}"`)

    const [entry] = await auditOf(iso.id)
    expect(entry).toMatchObject({ action: 'iso.create', actor_role: 'admin', iso_id: iso.id, before_json: null })
    expect(JSON.parse(entry.after_json!)).toEqual({
      name: VALID.name,
      email: VALID.email,
      region: 'SEA',
      timezone: 'Asia/Bangkok',
      dingtalkDeptId: 77,
      maxSpotsPerStore: 4,
    })
    expect((await admin().get(`/console/isos/${iso.id}/history`)).body).toContain('Onboarded an ISO')

    // the same name again gets an id of its own
    expect((await admin().post('/console/isos', { ...VALID, email: 'second@siammerchant.example', dingtalkDeptId: '' })).statusCode).toBe(303)
    expect((await isoByEmail('second@siammerchant.example'))?.id).toBe('iso-siam-merchant-partners-co-ltd-2')

    // a staff member's association request typed with the ISO Email (any case) reaches the new ISO
    const token = await server.signIn('staff-aisyah')
    const sent = await server.api('POST', '/api/association/requests', {
      token,
      body: { isoEmail: 'portal@siammerchant.example', name: 'Aisyah Rahman', phone: '+60123456789' },
    })
    expect(sent.statusCode).toBeLessThan(300)
    expect((sent.json() as AssociationState).request).toMatchObject({ isoName: VALID.name })
  })

  it('checks every field with its own message; nothing is saved and what was typed is shown again', async () => {
    const before = await isoCount()
    const cases: Array<[string, Partial<typeof VALID>, string, RegExp]> = [
      ['an empty name', { name: '   ' }, 'name', /Enter the ISO’s name/],
      ['a name too long', { name: 'N'.repeat(121) }, 'name', /too long: 120 characters at most/],
      ['a name with a line break', { name: 'Siam\nMerchant' }, 'name', /line break/],
      ['no ISO Email', { email: '' }, 'email', /Enter the ISO Email/],
      ['an ISO Email that is not one', { email: 'portal at siam' }, 'email', /not an email address/],
      ['another ISO’s ISO Email, in other capitals', { email: 'OPS@LionCityPay.example' }, 'email', /already the ISO Email of Lion City Payments Pte\. Ltd\./],
      ['a region that is not a code', { region: 'South-East Asia' }, 'region', /2 to 8 letters, e\.g\. SEA/],
      ['no time zone', { timezone: '' }, 'timezone', /Enter the ISO’s time zone/],
      ['a made-up time zone', { timezone: 'Mars/Olympus_Mons' }, 'timezone', /not a time zone of the IANA database/],
      ['an offset instead of a time zone', { timezone: '+07:00' }, 'timezone', /not a time zone of the IANA database/],
      ['GMT+7', { timezone: 'GMT+7' }, 'timezone', /not a time zone of the IANA database/],
      ['a department that is not a number', { dingtalkDeptId: '12a' }, 'dingtalkDeptId', /digits only/],
      ['department 0', { dingtalkDeptId: '0' }, 'dingtalkDeptId', /digits only/],
      ['a spot limit of 0', { maxSpotsPerStore: '0' }, 'maxSpotsPerStore', /whole number from 1 to 20/],
      ['a spot limit of 21', { maxSpotsPerStore: '21' }, 'maxSpotsPerStore', /whole number from 1 to 20/],
      ['a fractional spot limit', { maxSpotsPerStore: '2.5' }, 'maxSpotsPerStore', /whole number from 1 to 20/],
    ]
    for (const [what, change, fieldName, message] of cases) {
      const form = { ...VALID, ...change }
      const res = await admin().post('/console/isos', form)
      expect([what, res.statusCode]).toEqual([what, 400])
      expect([what, res.body]).toEqual([what, expect.stringMatching(message)])
      expect([what, res.body.includes(`id="new-${fieldName}"`) && res.body.includes('aria-invalid="true"')]).toEqual([what, true])
      expect([what, res.body.includes('Nothing was saved')]).toEqual([what, true])
      // what was typed in the other fields is still in the form
      expect([what, res.body.includes('value="Portal@SiamMerchant.example"') || fieldName === 'email']).toEqual([what, true])
    }
    // a department another ISO has
    await server.db.run("UPDATE isos SET dingtalk_dept_id = 42 WHERE id = 'iso-nusantara'")
    const taken = await admin().post('/console/isos', { ...VALID, dingtalkDeptId: '42' })
    expect(taken.statusCode).toBe(400)
    expect(taken.body).toContain('DingTalk department 42 is already the department of Nusantara Merchant Services.')
    // several fields wrong at once: each named
    const many = await admin().post('/console/isos', { name: '', email: 'x', region: '1', timezone: 'Nowhere', dingtalkDeptId: 'x', maxSpotsPerStore: '' })
    expect(many.statusCode).toBe(400)
    expect(many.body.match(/aria-invalid="true"/g)).toHaveLength(6)
    expect(await isoCount()).toBe(before)
    expect(await server.db.all("SELECT * FROM audit_log WHERE action = 'iso.create'")).toEqual([])
  })

  it('an administrator edits an ISO: every field checked, only the fields that changed in the audit trail, nothing recorded when nothing changed', async () => {
    const edit = await admin().get('/console/isos/iso-lioncity/edit')
    expect(edit.statusCode).toBe(200)
    expect(edit.body).toContain('value="ops@lioncitypay.example"')
    expect(edit.body).toContain('value="Asia/Singapore"')

    const current = {
      name: 'Lion City Payments Pte. Ltd.',
      email: 'ops@lioncitypay.example',
      region: 'SEA',
      timezone: 'Asia/Singapore',
      dingtalkDeptId: '',
      maxSpotsPerStore: '5',
    }
    const bad = await admin().post('/console/isos/iso-lioncity', { ...current, email: 'partners@nusantara-ms.example', timezone: 'Asia/Lion_City' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('already the ISO Email of Nusantara Merchant Services')
    expect(bad.body).toContain('not a time zone of the IANA database')
    expect(bad.body).toContain('value="Asia/Lion_City"')
    expect((await server.db.get<IsoRow>("SELECT * FROM isos WHERE id = 'iso-lioncity'"))?.email).toBe('ops@lioncitypay.example')

    // its own ISO Email in other capitals is not "another ISO's"
    const saved = await admin().post('/console/isos/iso-lioncity', {
      ...current,
      email: 'OPS@lioncitypay.example',
      timezone: 'Asia/Kuala_Lumpur',
      maxSpotsPerStore: '6',
    })
    expect([saved.statusCode, saved.headers.location]).toEqual([303, '/console/isos?done=saved&id=iso-lioncity'])
    expect(await server.db.get("SELECT email, timezone, max_spots_per_store, name FROM isos WHERE id = 'iso-lioncity'")).toEqual({
      email: 'OPS@lioncitypay.example',
      timezone: 'Asia/Kuala_Lumpur',
      max_spots_per_store: 6,
      name: 'Lion City Payments Pte. Ltd.',
    })
    const entries = (await auditOf('iso-lioncity')).filter((e) => e.action === 'iso.update')
    expect(entries).toHaveLength(1)
    expect(JSON.parse(entries[0].before_json!)).toEqual({ email: 'ops@lioncitypay.example', timezone: 'Asia/Singapore', maxSpotsPerStore: 5 })
    expect(JSON.parse(entries[0].after_json!)).toEqual({ email: 'OPS@lioncitypay.example', timezone: 'Asia/Kuala_Lumpur', maxSpotsPerStore: 6 })

    const same = await admin().post('/console/isos/iso-lioncity', {
      ...current,
      email: 'OPS@lioncitypay.example',
      timezone: 'Asia/Kuala_Lumpur',
      maxSpotsPerStore: '6',
    })
    expect(same.headers.location).toBe('/console/isos?done=unchanged&id=iso-lioncity')
    expect((await auditOf('iso-lioncity')).filter((e) => e.action === 'iso.update')).toHaveLength(1)

    expect((await admin().get('/console/isos/iso-nope/edit')).statusCode).toBe(404)
    expect((await admin().post('/console/isos/iso-nope', current)).statusCode).toBe(404)
  })

  it('only administrators: ISO reviewers, coordinators and Alipay+ reviewers get 403 and change nothing', async () => {
    const before = await server.db.all('SELECT * FROM isos ORDER BY id')
    for (const username of [DEV_ACCOUNT.lioncity, DEV_ACCOUNT.coordinator, DEV_ACCOUNT.alipay]) {
      const who = server.consoleAs(username)
      for (const res of [
        await who.get('/console/isos'),
        await who.get('/console/isos/iso-lioncity/edit'),
        await who.post('/console/isos', VALID),
        await who.post('/console/isos/iso-lioncity', { ...VALID, email: 'ops@lioncitypay.example' }),
      ]) {
        expect([username, res.statusCode]).toEqual([username, 403])
      }
      expect((await who.get('/console')).body).not.toContain('href="/console/isos"')
    }
    expect(await server.db.all('SELECT * FROM isos ORDER BY id')).toEqual(before)
    expect(await server.db.all("SELECT * FROM audit_log WHERE action IN ('iso.create', 'iso.update')")).toEqual([])
    expect((await admin().get('/console')).body).toContain('href="/console/isos"')
  })
})
