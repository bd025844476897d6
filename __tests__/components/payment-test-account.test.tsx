/**
 * The payment step at an Alipay-only store: the test account the ISO assigned, its password behind Show (asked
 * of the server on the tap) and a Copy button (the platform's clipboard); "ask your ISO" when none is assigned.
 */
import { act, fireEvent } from '@testing-library/react'
import { observable, runInAction } from 'mobx'
import { observer } from 'mobx-react'
import type { WorkspaceInfo } from '../../packages/contract/promotion'
import { PaymentStep } from '../../src/components/wizard/payment-step'
import { promotionWizard, type PromotionWizard } from '../../src/stores/wizard-store'
import type { RootStore } from '../../src/stores/root-store'
import { json } from '../helpers/fake-platform'
import { profile } from '../helpers/fixtures'
import { renderSignedIn } from './render'

const iso = { id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'VERIFY_THEN_DEPLOY' as const }
const SECRET = { email: 'alipay.test.chen@lioncitypay.example', password: 'Zq8!copy-me' }

function workspace(testAccount: WorkspaceInfo['testAccount']): WorkspaceInfo {
  return {
    products: ['MARKETING_CODE', 'PRIMARY_POSM'],
    method: 'VERIFY_THEN_DEPLOY',
    methodAgreement: { status: 'AGREED', agreed: 'VERIFY_THEN_DEPLOY', proposal: null, declineReason: null, previous: null },
    maxSpotsPerStore: 5,
    timezone: 'Asia/Singapore',
    testAccount,
    maxUploadBytes: 5 * 1024 * 1024,
  }
}

/** The payment step of a new Verify-Then-Deploy draft whose store takes only Alipay. */
async function alipayStep(testAccount: WorkspaceInfo['testAccount'] | (() => WorkspaceInfo['testAccount']), reveal = () => json(200, SECRET), language = 'en') {
  const reveals: unknown[] = []
  const routes = {
    'GET /api/workspace': () => json(200, workspace(typeof testAccount === 'function' ? testAccount() : testAccount)),
    'POST /api/test-account/reveal': (req: { body?: unknown }) => {
      reveals.push(req.body)
      return reveal()
    },
  }
  const shown = observable.box<PromotionWizard | null>(null, { deep: false })
  const rendered = await renderSignedIn(<Host shown={shown} />, profile({ status: 'associated', iso }), routes, language)
  const root: RootStore = rendered.root
  await act(async () => {
    await root.workspace.load()
    const draft = root.drafts.create('MARKETING_CODE', 'VERIFY_THEN_DEPLOY')
    const wizard = promotionWizard(root, draft.id)!
    wizard.toggleWallet('ALIPAY')
    runInAction(() => shown.set(wizard))
  })
  return { ...rendered, root, reveals }
}

/** The payment step once the wizard exists (made after sign-in, as the page does). */
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

describe('payment step: the Alipay test account', () => {
  it('shows the email, reveals the password on Show, copies it with Copy, and forgets it on Hide', async () => {
    const { container, platform, reveals } = await alipayStep({ email: SECRET.email, passwordSet: true })
    expect(container.querySelector('#test-account')?.textContent).toContain(
      `Log in to the Alipay app with the test account your ISO assigned to you: ${SECRET.email}`,
    )
    expect(container.textContent).not.toContain('Ask your ISO')
    // hidden until the tap: nothing asked of the server yet
    expect(container.querySelector('#test-account-password')?.textContent).toBe('Password: ••••••••')
    expect(container.textContent).not.toContain(SECRET.password)
    expect(reveals).toHaveLength(0)
    expect(container.querySelector('#test-account-copy')).toBeNull()

    await click(container.querySelector('#test-account-show'))
    expect(reveals).toEqual([{}])
    expect(container.querySelector('#test-account-password')?.textContent).toBe(`Password: ${SECRET.password}`)

    await click(container.querySelector('#test-account-copy'))
    expect(platform.clipboard.copy).toHaveBeenCalledWith(SECRET.password)
    expect(container.querySelector('#test-account-copied')?.textContent).toBe('Password copied')

    await click(container.querySelector('#test-account-hide'))
    expect(container.textContent).not.toContain(SECRET.password)
    expect(container.querySelector('#test-account-show')).not.toBeNull()
    // never written to the device's storage
    expect(JSON.stringify([...platform.storage.data.values()])).not.toContain(SECRET.password)
  })

  it('says so when the clipboard refuses, in the working language', async () => {
    const { container, platform, root } = await alipayStep({ email: SECRET.email, passwordSet: true }, undefined, 'zh-CN')
    platform.clipboard.copy.mockRejectedValueOnce(new Error('denied'))
    await click(container.querySelector('#test-account-show'))
    await click(container.querySelector('#test-account-copy'))
    expect(container.querySelector('#test-account-copied')?.textContent).toBe(root.i18n.t('payment.testAccount.copyFailed'))
    expect(container.querySelector('#test-account-copied')?.textContent).toBe('无法复制密码，请在支付宝 App 中手动输入。')
  })

  it('keeps "ask your ISO" when no account is assigned, with no Show', async () => {
    const { container, reveals } = await alipayStep(null)
    expect(container.querySelector('#test-account')?.textContent).toContain('Your ISO has not assigned you a test account yet. Ask your ISO.')
    expect(container.querySelector('#test-account-show')).toBeNull()
    expect(reveals).toHaveLength(0)
  })

  it('an account withdrawn meanwhile: Show finds none and the step goes back to "ask your ISO"', async () => {
    let assigned = true
    const { container } = await alipayStep(
      () => (assigned ? { email: SECRET.email, passwordSet: true } : null),
      () => {
        // withdrawn by the ISO since the workspace was loaded
        assigned = false
        return json(404, { error: { code: 'TEST_ACCOUNT_NONE', message: 'none' } })
      },
    )
    await click(container.querySelector('#test-account-show'))
    await act(async () => undefined)
    expect(container.querySelector('#test-account')?.textContent).toContain('Ask your ISO')
  })

  it('an account without a password yet: the email, and that the ISO has not set the password', async () => {
    const { container } = await alipayStep({ email: SECRET.email, passwordSet: false })
    expect(container.querySelector('#test-account-no-password')?.textContent).toBe('Your ISO has not set the password of this test account yet. Ask your ISO.')
    expect(container.querySelector('#test-account-show')).toBeNull()
  })
})
