/**
 * The payment step's tool (issue 25, item 3): the staff member chooses Alipay or Alipay+ Linker, preselected from
 * the ISO's rule for the wallets ticked with the reason; choosing the other one is said at once, and the server's
 * refusal (WRONG_PAYMENT_TOOL) is shown with the reason in the working language, keeping what was entered.
 */
import { act, fireEvent } from '@testing-library/react'
import { observable, runInAction } from 'mobx'
import { observer } from 'mobx-react'
import type { PaymentVerificationInput, WorkspaceInfo } from '../../packages/contract/promotion'
import { DICTIONARIES } from '../../src/i18n/all'
import { PaymentStep } from '../../src/components/wizard/payment-step'
import { promotionWizard, type PromotionWizard } from '../../src/stores/wizard-store'
import { json } from '../helpers/fake-platform'
import { profile } from '../helpers/fixtures'
import { renderSignedIn } from './render'

const ja = DICTIONARIES.ja
const iso = { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'VERIFY_THEN_DEPLOY' as const }
const WORKSPACE: WorkspaceInfo = {
  products: ['MARKETING_CODE', 'PRIMARY_POSM'],
  method: 'VERIFY_THEN_DEPLOY',
  methodAgreement: { status: 'AGREED', agreed: 'VERIFY_THEN_DEPLOY', proposal: null, declineReason: null, previous: null },
  maxSpotsPerStore: 5,
  timezone: 'Asia/Singapore',
  testAccount: { email: 'alipay.test.chen@lioncitypay.example', passwordSet: true },
  maxUploadBytes: 5 * 1024 * 1024,
}

const Host = observer(function Host({ shown }: { shown: { get(): PromotionWizard | null } }) {
  const wizard = shown.get()
  return wizard ? <PaymentStep wizard={wizard} /> : null
})

const click = async (el: Element | null) => {
  expect(el).not.toBeNull()
  await act(async () => {
    fireEvent.click(el!)
  })
}

/** The payment step of a new Verify-Then-Deploy draft, in Japanese; the server refuses the other tool than the rule's. */
async function paymentStep() {
  const sent: PaymentVerificationInput[] = []
  const routes = {
    'GET /api/workspace': () => json(200, WORKSPACE),
    'POST /api/payment-verifications': (req: { body?: unknown }) => {
      const body = req.body as PaymentVerificationInput
      sent.push(body)
      const required = body.wallets.length === 1 && body.wallets[0] === 'ALIPAY' ? 'ALIPAY' : 'ALIPAY_PLUS_LINKER'
      if (body.tool !== required) return json(422, { error: { code: 'WRONG_PAYMENT_TOOL', message: 'the other tool', fields: { tool: 'WRONG_PAYMENT_TOOL' } } })
      return json(200, { id: `pv-${sent.length}`, ...body, status: 'PASSED', reason: null, createdAt: '2026-11-25T10:30:00.000Z' })
    },
  }
  const shown = observable.box<PromotionWizard | null>(null, { deep: false })
  const rendered = await renderSignedIn(<Host shown={shown} />, profile({ status: 'associated', iso }), routes, 'ja')
  rendered.platform.camera.takePhoto.mockResolvedValue(['/tmp/result-1.jpg'])
  rendered.platform.uploader.upload.mockResolvedValue({
    status: 201,
    data: { id: 'u-1', sha256: 'sha', size: 1000, mime: 'image/jpeg', takenAt: null, location: null, createdAt: '2026-11-25T10:30:00.000Z' },
  })
  let wizard!: PromotionWizard
  await act(async () => {
    await rendered.root.workspace.load()
    const draft = rendered.root.drafts.create('MARKETING_CODE', 'VERIFY_THEN_DEPLOY')
    wizard = promotionWizard(rendered.root, draft.id)!
    runInAction(() => shown.set(wizard))
  })
  return { ...rendered, wizard, sent }
}

const chip = (container: HTMLElement, tool: string) => container.querySelector(`#payment-tool-choice-${tool}`)

it('preselects the rule’s tool with its reason, says at once when the other is chosen, and shows the server’s refusal keeping what was entered', async () => {
  const { container, wizard, sent } = await paymentStep()
  expect(container.querySelector('#payment-tool-choice')).toBeNull()

  // a store that accepts only Alipay: Alipay preselected, why, and its steps (the ISO's test account)
  await click(container.querySelector('#wallet-ALIPAY'))
  expect(chip(container, 'ALIPAY')?.getAttribute('aria-checked')).toBe('true')
  expect(chip(container, 'ALIPAY_PLUS_LINKER')?.getAttribute('aria-checked')).toBe('false')
  expect(container.querySelector('#payment-tool-why')?.textContent).toBe(ja['payment.toolWhy.ALIPAY'])
  expect(container.querySelector('#payment-tool-other')).toBeNull()
  expect(container.querySelector('#test-account')).not.toBeNull()

  // the staff member chooses Alipay+ Linker: its steps, the rule's reason still there, and that it will be refused
  await click(chip(container, 'ALIPAY_PLUS_LINKER'))
  expect(chip(container, 'ALIPAY_PLUS_LINKER')?.getAttribute('aria-checked')).toBe('true')
  expect(container.querySelector('#payment-tool-other')?.textContent).toBe(ja['payment.toolOther'])
  expect(container.querySelector('#payment-tool-why')?.textContent).toBe(ja['payment.toolWhy.ALIPAY'])
  expect(container.textContent).toContain(ja['payment.linker.step2'])
  expect(container.querySelector('#test-account')).toBeNull()

  // verified with it: the server refuses; the refusal and the reason in Japanese, the reference and photo kept
  await act(async () => {
    wizard.payment.setReference('MPM', 'AP202611250000000401')
    await wizard.payment.takePhoto('MPM', 'result')
  })
  await click(container.querySelector('#pay-MPM-verify'))
  expect(sent.map((s) => s.tool)).toEqual(['ALIPAY_PLUS_LINKER'])
  expect(container.querySelector('#pay-MPM-error')?.textContent).toBe(`${ja['error.WRONG_PAYMENT_TOOL']} ${ja['payment.toolWhy.ALIPAY']}`)
  expect(container.querySelector('#payment-tool-choice-error')?.textContent).toBe(ja['error.WRONG_PAYMENT_TOOL'])
  expect(container.querySelector('#pay-MPM-result')).toBeNull()
  expect((container.querySelector('#pay-MPM-reference input, input#pay-MPM-reference') as HTMLInputElement | null)?.value).toBe('AP202611250000000401')
  expect(wizard.payment.record('MPM').photo).not.toBeNull()

  // the rule's tool chosen again: the refusal goes, and the same evidence is verified
  await click(chip(container, 'ALIPAY'))
  expect(container.querySelector('#pay-MPM-error')).toBeNull()
  expect(container.querySelector('#payment-tool-choice-error')).toBeNull()
  await click(container.querySelector('#pay-MPM-verify'))
  expect(sent.map((s) => [s.tool, s.reference])).toEqual([
    ['ALIPAY_PLUS_LINKER', 'AP202611250000000401'],
    ['ALIPAY', 'AP202611250000000401'],
  ])
  expect(container.querySelector('#pay-MPM-result')?.textContent).toContain(ja['payment.passed'])
})
