import { act, fireEvent } from '@testing-library/react'
import AssociatePage from '../../src/pages/associate/index'
import type { AssociationRequestView } from '../../packages/contract/api'
import { json } from '../helpers/fake-platform'
import { profile } from '../helpers/fixtures'
import { renderSignedIn } from './render'

const iso = { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'VERIFY_THEN_DEPLOY' as const }
const request = (over: Partial<AssociationRequestView> = {}): AssociationRequestView => ({
  id: 'r1',
  isoEmail: 'ops@lioncitypay.example',
  isoName: iso.name,
  name: 'Aisyah Rahman',
  phone: '+6581234567',
  status: 'pending',
  reason: null,
  createdAt: '2026-11-25T10:00:00Z',
  decidedAt: null,
  ...over,
})

function type(el: Element, value: string) {
  fireEvent(el, new CustomEvent('input', { detail: { value }, bubbles: true }))
}

/** Types a correct request and taps Submit. */
async function submitValid(container: HTMLElement) {
  await act(async () => {
    type(container.querySelector('#isoEmail')!, 'ops@lioncitypay.example')
    type(container.querySelector('#name')!, 'Aisyah Rahman')
    type(container.querySelector('#phone')!, '+65 8123 4567')
  })
  await act(async () => {
    fireEvent.click(container.querySelector('#submit-association')!)
  })
}

describe('associate ISO page', () => {
  it('not associated: explains both ways and shows the form', async () => {
    const { container } = await renderSignedIn(<AssociatePage />)
    const text = container.textContent
    expect(text).toContain('DingTalk invitation')
    expect(text).toContain('ISO Platform QR code')
    expect(text).toContain('ISO Email')
    expect(text).toContain('Name')
    expect(text).toContain('Phone No.')
  })

  it('bad input: each field says what is wrong, and what was typed stays', async () => {
    const { container, root, platform } = await renderSignedIn(<AssociatePage />)
    await act(async () => {
      type(container.querySelector('#isoEmail')!, 'ops@')
      type(container.querySelector('#phone')!, '81234567')
    })
    await act(async () => {
      fireEvent.click(container.querySelector('#submit-association')!)
    })
    expect(container.querySelector('#isoEmail-error')?.textContent).toBe('Enter a valid email address, for example name@company.com.')
    expect(container.querySelector('#name-error')?.textContent).toBe('This field is required.')
    expect(container.querySelector('#phone-error')?.textContent).toBe('Start with + and the country code, for example +65.')
    expect(root.association.values).toEqual({ isoEmail: 'ops@', name: '', phone: '81234567' })
    expect((container.querySelector('#isoEmail') as HTMLElement & { value: string }).value).toBe('ops@')
    expect(platform.http.request.mock.calls.filter(([r]) => r.url.endsWith('/api/association/requests'))).toHaveLength(0)
  })

  it('sends a valid request and shows it pending with what was sent', async () => {
    const { container } = await renderSignedIn(<AssociatePage />, profile(), {
      'POST /api/association/requests': () => json(201, { status: 'pending', iso: null, request: request() }),
    })
    await submitValid(container)
    expect(container.querySelector('#association-status')?.textContent).toContain('Pending')
    expect(container.querySelector('#submitted-details')?.textContent).toContain('ops@lioncitypay.example')
    expect(container.querySelector('#association-form')).toBeNull()
  })

  it('rejected: shows the ISO’s reason and a form filled with what was sent', async () => {
    const rejected = profile({ status: 'rejected', request: request({ status: 'rejected', reason: 'Phone number not in our staff list' }) })
    const { container } = await renderSignedIn(<AssociatePage />, rejected)
    expect(container.querySelector('#rejection-reason')?.textContent).toBe('Reason: Phone number not in our staff list')
    expect((container.querySelector('#phone') as HTMLElement & { value: string }).value).toBe('+6581234567')
  })

  it('approved: tells to tap Org invitation in DingTalk, then becomes associated', async () => {
    const approved = profile({ status: 'approved', iso })
    const { container } = await renderSignedIn(<AssociatePage />, approved, {
      'POST /api/association/join': () => json(200, { status: 'associated', iso, request: null }),
    })
    expect(container.textContent).toContain('tap Org invitation and join Alipay Partners')
    await act(async () => {
      fireEvent.click(container.querySelector('#confirm-joined')!)
    })
    expect(container.querySelector('#association-status')?.textContent).toContain('Associated')
    expect(container.textContent).toContain('You are associated with Lion City Payments Pte. Ltd.')
  })

  it('a second request while one is pending is refused with a clear message', async () => {
    const { container } = await renderSignedIn(<AssociatePage />, profile(), {
      'POST /api/association/requests': () => json(409, { error: { code: 'REQUEST_PENDING', message: '' } }),
    })
    await submitValid(container)
    expect(container.querySelector('#form-error')?.textContent).toBe('You already have a request waiting for review. Wait for your ISO’s decision.')
  })
})
