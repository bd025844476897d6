/**
 * Under an error the server answered, the app shows the request's id (the server's `error.requestId`, also its
 * X-Request-Id and on its log lines), labelled in the working language, so that staff can quote it to support.
 * The app's own checks and the network's failures have no id and show none.
 */
import { act, fireEvent } from '@testing-library/react'
import '../../src/i18n/sections/inspection'
import AssociatePage from '../../src/pages/associate/index'
import HomePage from '../../src/pages/index/index'
import TasksPage from '../../src/pages/inspection/tasks/index'
import { DICTIONARIES } from '../../src/i18n/all'
import { json } from '../helpers/fake-platform'
import { profile } from '../helpers/fixtures'
import { OutboxCard } from '../../src/components/outbox-card'
import type { OutboxItem } from '../../src/stores/outbox-store'
import { renderSignedIn } from './render'

const REQUEST_ID = '5b8e3f0c-9d1a-4c2e-8f47-2a6b1c0d9e13'
const iso = { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'DEPLOY_THEN_VERIFY' as const }
const serverError = (requestId: unknown = REQUEST_ID) => json(500, { error: { code: 'SERVER', message: 'Internal server error.', requestId } })

function type(el: Element, value: string) {
  fireEvent(el, new CustomEvent('input', { detail: { value }, bubbles: true }))
}

describe('the request id under a server’s refusal', () => {
  it('association form (Malay): the reference under the message; gone once the person types again', async () => {
    const { container } = await renderSignedIn(<AssociatePage />, profile(), { 'POST /api/association/requests': () => serverError() }, 'ms')
    await act(async () => {
      type(container.querySelector('#isoEmail')!, 'partners@lioncity.example')
      type(container.querySelector('#name')!, 'Aisyah Rahman')
      type(container.querySelector('#phone')!, '+65 8123 4567')
    })
    await act(async () => {
      fireEvent.click(container.querySelector('#submit-association')!)
    })
    const banner = container.querySelector('#form-error')!
    expect(banner.textContent).toBe(`${DICTIONARIES.ms['error.SERVER']}Rujukan untuk sokongan: ${REQUEST_ID}`)
    expect(banner.querySelector('.error-reference')?.textContent).toBe(`Rujukan untuk sokongan: ${REQUEST_ID}`)
    // what was typed is still there
    expect((container.querySelector('#name') as HTMLInputElement).value).toBe('Aisyah Rahman')

    await act(async () => type(container.querySelector('#name')!, 'Aisyah binti Rahman'))
    expect(container.querySelector('.error-reference')).toBeNull()
  })

  it('association form: the app’s own check of the fields has no reference', async () => {
    const { container } = await renderSignedIn(<AssociatePage />, profile(), {}, 'ms')
    await act(async () => {
      fireEvent.click(container.querySelector('#submit-association')!)
    })
    expect(container.querySelector('#form-error')?.textContent).toBe(DICTIONARIES.ms['error.VALIDATION_FAILED'])
    expect(container.querySelector('.error-reference')).toBeNull()
  })

  it('verification tasks (Japanese): the reference under the banner', async () => {
    const { container } = await renderSignedIn(<TasksPage />, profile({ status: 'associated', iso }), { 'GET /api/inspections': () => serverError() }, 'ja')
    await act(async () => undefined)
    expect(container.querySelector('[role="alert"] .error-reference')?.textContent).toBe(`サポート用の参照番号：${REQUEST_ID}`)
  })

  it('an id that is not one (markup, a whole page) is not shown', async () => {
    const { container } = await renderSignedIn(
      <TasksPage />,
      profile({ status: 'associated', iso }),
      { 'GET /api/inspections': () => serverError('<b>x</b> y') },
      'en',
    )
    await act(async () => undefined)
    expect(container.querySelector('[role="alert"]')?.textContent).toBe(DICTIONARIES.en['error.SERVER'])
    expect(container.querySelector('.error-reference')).toBeNull()
  })

  it('home (Korean): Start Promotion refused by the server says the reference in its toast', async () => {
    const { container, platform } = await renderSignedIn(
      <HomePage />,
      profile({ status: 'associated', iso }),
      { 'GET /api/workspace': () => serverError() },
      'ko',
    )
    await act(async () => {
      fireEvent.click(container.querySelector('[id^="start-"]')!)
    })
    expect(platform.ui.toast).toHaveBeenCalledWith(`${DICTIONARIES.ko['error.SERVER']}\n지원 문의용 참조 번호: ${REQUEST_ID}`)
  })

  it('outbox card (Vietnamese): a refused submission shows the reference under its reason', async () => {
    const item = {
      id: 'o-1',
      kind: 'promotion',
      targetId: null,
      draftId: 'd-1',
      clientId: 'c-1',
      label: 'Kopi Corner',
      product: 'MARKETING_CODE',
      payload: { clientId: 'c-1' },
      photos: [],
      status: 'refused',
      attempts: 1,
      nextAttemptAt: 0,
      lastError: 'INVALID_STATE',
      lastErrorRequestId: REQUEST_ID,
      lastErrorFields: null,
      promotion: null,
      task: null,
      createdAt: '2025-03-03T02:00:00.000Z',
    } as unknown as OutboxItem
    const { container } = await renderSignedIn(<OutboxCard item={item} />, profile({ status: 'associated', iso }), {}, 'vi')
    const error = container.querySelector('#outbox-error-o-1')!
    expect(error.textContent).toContain(DICTIONARIES.vi['error.INVALID_STATE'])
    expect(error.querySelector('.error-reference')?.textContent).toBe(`Mã tham chiếu cho bộ phận hỗ trợ: ${REQUEST_ID}`)
  })
})
