/**
 * The association page opened from an ISO's QR poster (DingTalk's scanner: `?iso=<id>`): the ISO is shown by
 * name and fixed for the request; an ISO Email of another ISO is refused naming the QR's ISO; the Phone No.
 * DingTalk does not know is refused in the working language; Check again without signing out.
 */
import { act, fireEvent } from '@testing-library/react'
import AssociatePage from '../../src/pages/associate/index'
import HomePage from '../../src/pages/index/index'
import { json } from '../helpers/fake-platform'
import { profile } from '../helpers/fixtures'
import { renderSignedIn } from './render'
import { pageQuery } from './taro-shim'

const iso = { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'VERIFY_THEN_DEPLOY' as const }

function type(el: Element, value: string) {
  fireEvent(el, new CustomEvent('input', { detail: { value }, bubbles: true }))
}

async function fillAndSubmit(container: HTMLElement, email: string, phone = '+65 8123 4567') {
  await act(async () => {
    type(container.querySelector('#isoEmail')!, email)
    type(container.querySelector('#name')!, 'Aisyah Rahman')
    type(container.querySelector('#phone')!, phone)
  })
  await act(async () => {
    fireEvent.click(container.querySelector('#submit-association')!)
  })
}

afterEach(() => {
  pageQuery.current = {}
})

describe('the page opened from an ISO’s QR poster', () => {
  it('shows the ISO by name and, for another ISO’s email, says which ISO the QR named (in the working language)', async () => {
    pageQuery.current = { iso: 'iso-lioncity' }
    const bodies: unknown[] = []
    const { container } = await renderSignedIn(
      <AssociatePage />,
      profile(),
      {
        'GET /api/association/iso?id=iso-lioncity': () => json(200, { id: iso.id, name: iso.name }),
        'POST /api/association/requests': (req) => {
          bodies.push(req.body)
          return json(422, { error: { code: 'ISO_EMAIL_MISMATCH', message: '', fields: { isoEmail: 'ISO_EMAIL_MISMATCH' } } })
        },
      },
      'ms',
    )
    await act(async () => undefined)
    expect(container.querySelector('#scanned-iso')?.textContent).toBe(
      `Kod QR ${iso.name} telah diimbas. Masukkan E-mel ISO ${iso.name} dan butiran anda di bawah.`,
    )
    await fillAndSubmit(container, 'partners@nusantara-ms.example')
    expect(bodies).toEqual([expect.objectContaining({ isoId: 'iso-lioncity', isoEmail: 'partners@nusantara-ms.example' })])
    expect(container.querySelector('#qr-mismatch')?.textContent).toBe(
      // the name's own full stop ends the sentence (one stop, not two)
      'Kod QR yang anda imbas adalah untuk Lion City Payments Pte. Ltd. Masukkan E-mel ISO Lion City Payments Pte. Ltd., atau imbas kod QR ISO anda sendiri.',
    )
    // what was typed stays
    expect((container.querySelector('#isoEmail') as HTMLInputElement).value).toBe('partners@nusantara-ms.example')
  })

  it('a Phone No. other than DingTalk’s: the field says so', async () => {
    const { container } = await renderSignedIn(<AssociatePage />, profile(), {
      'POST /api/association/requests': () => json(422, { error: { code: 'PHONE_NOT_DINGTALK', message: '', fields: { phone: 'PHONE_NOT_DINGTALK' } } }),
    })
    await fillAndSubmit(container, 'ops@lioncitypay.example', '+65 9999 0000')
    expect(container.textContent).toContain('This is not the phone number you log in to DingTalk with.')
    expect((container.querySelector('#phone') as HTMLInputElement).value).toBe('+65 9999 0000')
  })

  it('Check again: an approved staff member who joined in DingTalk becomes associated without signing out', async () => {
    const { container } = await renderSignedIn(<AssociatePage />, profile({ status: 'approved', iso }), {
      'GET /api/association': () => json(200, { status: 'approved', iso, request: null }),
      'POST /api/association/check': () => json(200, { status: 'associated', iso, request: null }),
    })
    await act(async () => {
      fireEvent.click(container.querySelector('#check-again')!)
    })
    expect(container.querySelector('#association-status')?.textContent).toContain('Associated')
  })
})

describe('the home page', () => {
  it('checks again on show while not associated, and unlocks Start Promotion when DingTalk lists the staff member', async () => {
    let checks = 0
    const { container, platform } = await renderSignedIn(<HomePage />, profile({ status: 'invited', iso }), {
      'POST /api/association/check': () => {
        checks++
        return json(200, { status: 'associated', iso, request: null })
      },
      'GET /api/workspace': () => json(200, { method: 'VERIFY_THEN_DEPLOY', iso, maxSpotsPerStore: 3 }),
    })
    await act(async () => undefined)
    expect(checks).toBe(1)
    expect(platform.http.request.mock.calls.filter(([r]) => r.url.endsWith('/api/association/check'))).toHaveLength(1)
    expect(container.querySelector('#start-marketing-code')?.getAttribute('aria-disabled')).not.toBe('true')
  })
})
