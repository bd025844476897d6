import { maskPhone, toE164 } from '../../packages/contract/rules/phone'
import { AssociationRequestSchema, validate } from '../../packages/contract/schemas'

const good = { isoEmail: 'ops@lioncitypay.example', name: 'Aisyah Rahman', phone: '+65 8123 4567' }

describe('association request schema (shared by app and server)', () => {
  it('accepts a complete request and trims it', () => {
    const r = validate(AssociationRequestSchema, { ...good, name: '  Aisyah Rahman ' })
    expect(r).toEqual({ ok: true, value: { ...good, name: 'Aisyah Rahman' } })
  })

  it.each([
    [{ ...good, isoEmail: '' }, 'isoEmail', 'REQUIRED'],
    [{ ...good, isoEmail: 'not-an-email' }, 'isoEmail', 'EMAIL_INVALID'],
    [{ ...good, isoEmail: 'a@b' }, 'isoEmail', 'EMAIL_INVALID'],
    [{ ...good, name: '' }, 'name', 'REQUIRED'],
    [{ ...good, name: 'A' }, 'name', 'NAME_TOO_SHORT'],
    [{ ...good, name: 'x'.repeat(65) }, 'name', 'NAME_TOO_LONG'],
    [{ ...good, name: '<script>' }, 'name', 'NAME_INVALID'],
    [{ ...good, name: 'Ann\u0000a' }, 'name', 'NAME_INVALID'],
    [{ ...good, phone: '' }, 'phone', 'REQUIRED'],
    [{ ...good, phone: '81234567' }, 'phone', 'PHONE_NOT_INTERNATIONAL'],
    [{ ...good, phone: '+65 1234' }, 'phone', 'PHONE_INVALID'],
    [{ ...good, phone: '+1 000 000 0000' }, 'phone', 'PHONE_INVALID'],
    [{ ...good, phone: 12345 }, 'phone', 'REQUIRED'],
  ])('refuses %j: %s → %s', (input, field, code) => {
    const r = validate(AssociationRequestSchema, input)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.fields[field]).toBe(code)
  })

  it('a missing field is required, whatever else was sent', () => {
    expect(validate(AssociationRequestSchema, {})).toEqual({ ok: false, fields: { isoEmail: 'REQUIRED', name: 'REQUIRED', phone: 'REQUIRED' } })
  })

  it.each([
    '+60 12-345 6789',
    '+62 812-3456-7890',
    '+84 912 345 678',
    '+66 81 234 5678',
    '+81 90-1234-5678',
    '+82 10-1234-5678',
    '+886 912 345 678',
    '+86 138 0013 8000',
  ])('accepts the mobile number %s, valid for its country', (phone) => {
    expect(validate(AssociationRequestSchema, { ...good, phone }).ok).toBe(true)
  })

  it('stores phones in E.164 and shows them masked', () => {
    expect(toE164('+65 8123 4567')).toBe('+6581234567')
    expect(maskPhone('+6581234567')).toBe('+65 8•••••67')
  })
})

describe('the phone check of the shared schemas', () => {
  it('is never a silent pass: validating a phone number before enablePhoneValidation() throws', () => {
    jest.isolateModules(() => {
      const fresh = require('../../packages/contract/schemas') as typeof import('../../packages/contract/schemas')
      const request = { isoEmail: 'ops@lioncitypay.example', name: 'Aisyah Rahman', phone: '+65 8123 4567' }
      expect(() => fresh.validate(fresh.AssociationRequestSchema, request)).toThrow(/phone check/)
      ;(require('../../packages/contract/rules/phone-check') as typeof import('../../packages/contract/rules/phone-check')).enablePhoneValidation()
      expect(fresh.validate(fresh.AssociationRequestSchema, request).ok).toBe(true)
      expect(fresh.validate(fresh.AssociationRequestSchema, { ...request, phone: '+65 1234' }).ok).toBe(false)
    })
  })
})
