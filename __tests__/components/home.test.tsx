import { act, fireEvent } from '@testing-library/react'
import { runInAction } from 'mobx'
import type { WorkspaceInfo } from '../../packages/contract/promotion'
import type { MethodAgreementView } from '../../packages/contract/rules/method-agreement'
import HomePage from '../../src/pages/index/index'
import { json } from '../helpers/fake-platform'
import { profile } from '../helpers/fixtures'
import { renderSignedIn } from './render'

/** The workspace of an associated staff member whose ISO stands so with the coordinator. */
function workspaceWith(agreement: Partial<MethodAgreementView>): WorkspaceInfo {
  return {
    products: ['MARKETING_CODE', 'PRIMARY_POSM'],
    method: 'VERIFY_THEN_DEPLOY',
    methodAgreement: { status: 'NOT_AGREED', agreed: null, proposal: null, declineReason: null, previous: null, ...agreement },
    maxSpotsPerStore: 3,
    timezone: 'Asia/Singapore',
    testAccount: null,
    maxUploadBytes: 5_000_000,
  }
}

const iso = { id: 'iso-nusantara', name: 'Nusantara Merchant Services', deploymentMethod: 'DEPLOY_THEN_VERIFY' as const }

describe('home: the product list', () => {
  it('offers the three products with the specification’s words', async () => {
    const { container } = await renderSignedIn(<HomePage />)
    const text = container.textContent
    for (const words of ['Marketing Code Promotion', 'Primary POSM Promotion', 'Spot Inspection', 'Start Promotion', 'Verification Tasks']) {
      expect(text).toContain(words)
    }
  })

  it('locks promotions visibly, with the reason, until associated', async () => {
    const { container } = await renderSignedIn(<HomePage />, profile({ status: 'pending' }))
    expect(container.querySelector('#lock-reason')?.textContent).toBe('Your association request is waiting for your ISO’s review.')
    expect(container.querySelectorAll('.product--locked')).toHaveLength(3)
    expect(container.textContent).toContain('Locked')
    const buttons = Array.from(container.querySelectorAll('.product taro-button-core'))
    expect(buttons.length).toBe(3)
    for (const b of buttons) expect((b as HTMLElement & { disabled?: boolean }).disabled).toBe(true)
  })

  it('opens the association page from the status card', async () => {
    const { container, platform } = await renderSignedIn(<HomePage />)
    await act(async () => {
      fireEvent.click(container.querySelector('#open-association')!)
    })
    expect(platform.nav.open).toHaveBeenCalledWith('/pages/associate/index')
  })

  it('once associated, states the ISO’s deployment method and unlocks the products', async () => {
    const { container } = await renderSignedIn(<HomePage />, profile({ status: 'associated', iso }))
    expect(container.querySelector('#deployment-method')?.textContent).toContain('Your ISO follows Deploy-Then-Verify.')
    expect(container.querySelectorAll('.product--locked')).toHaveLength(0)
  })

  it('locks Start Promotion, with the reason in the working language, until the deployment method is agreed', async () => {
    let agreement: Partial<MethodAgreementView> = { status: 'PROPOSED', proposal: 'DEPLOY_THEN_VERIFY' }
    const notAgreed = { ...iso, deploymentMethod: null }
    const { container, root, platform } = await renderSignedIn(<HomePage />, profile({ status: 'associated', iso: notAgreed }), {
      'GET /api/workspace': () => json(200, workspaceWith(agreement)),
    })
    const reason = 'Start Promotion is locked: your ISO proposed Deploy-Then-Verify, and the Alipay+ regional coordinator has not agreed it yet.'
    expect(container.querySelector('#method-lock-reason')?.textContent).toBe(reason)
    expect(container.querySelector('#deployment-method')).toBeNull()
    for (const id of ['marketing-code', 'primary-posm']) {
      expect(container.querySelector(`#product-${id}`)?.classList.contains('product--locked')).toBe(true)
      expect(container.querySelector(`#lock-reason-${id}`)?.textContent).toBe(reason)
      expect((container.querySelector(`#start-${id}`) as HTMLElement & { disabled?: boolean }).disabled).toBe(true)
    }
    // spot inspections do not wait for the method
    expect(container.querySelector('#product-spot-inspection')?.classList.contains('product--locked')).toBe(false)
    // a tap that gets through anyway (the button is disabled) starts nothing
    await act(async () => {
      fireEvent.click(container.querySelector('#start-marketing-code')!)
    })
    expect(platform.nav.open).not.toHaveBeenCalledWith(expect.stringContaining('/pages/promotion/wizard'))
    expect(root.drafts.drafts).toHaveLength(0)

    // in Thai
    await act(async () => root.i18n.setLocale('th'))
    expect(container.querySelector('#method-lock-reason')?.textContent).toBe(
      root.i18n.t('home.methodLock.PROPOSED', { method: root.i18n.t('method.DEPLOY_THEN_VERIFY') }),
    )
    expect(container.querySelector('#method-lock-reason')?.textContent).toContain('ผู้ประสานงาน')
    await act(async () => root.i18n.setLocale('en'))

    // the coordinator agreed: the next time the page shows, Start Promotion opens under the agreed method
    agreement = { status: 'AGREED', agreed: 'DEPLOY_THEN_VERIFY' }
    await act(async () => {
      await root.workspace.load()
    })
    expect(container.querySelector('#method-lock-reason')).toBeNull()
    expect(container.querySelector('#deployment-method')?.textContent).toContain('Your ISO follows Deploy-Then-Verify.')
    expect(container.querySelectorAll('.product--locked')).toHaveLength(0)
    await act(async () => {
      fireEvent.click(container.querySelector('#start-marketing-code')!)
    })
    expect(root.drafts.drafts).toHaveLength(1)
    expect(root.drafts.drafts[0].method).toBe('DEPLOY_THEN_VERIFY')
  })

  it('says so when nothing is agreed yet, or the proposal was declined', async () => {
    const { container, root } = await renderSignedIn(<HomePage />, profile({ status: 'associated', iso: { ...iso, deploymentMethod: null } }), {
      'GET /api/workspace': () => json(200, workspaceWith({ status: 'DECLINED', proposal: 'VERIFY_THEN_DEPLOY', declineReason: 'Verify first.' })),
    })
    expect(container.querySelector('#method-lock-reason')?.textContent).toBe(
      'Start Promotion is locked: the Alipay+ regional coordinator declined the proposed Verify-Then-Deploy. Your ISO will propose a method again.',
    )
    await act(async () => runInAction(() => (root.workspace.info = workspaceWith({}))))
    expect(container.querySelector('#method-lock-reason')?.textContent).toBe(
      'Start Promotion is locked: your ISO has not agreed a deployment method with the Alipay+ regional coordinator yet.',
    )
  })

  it('speaks the working language everywhere on the page', async () => {
    const { container, root } = await renderSignedIn(<HomePage />, profile({ status: 'none' }), {}, 'vi-VN')
    expect(root.i18n.locale).toBe('vi')
    expect(container.textContent).toContain(root.i18n.t('home.product.marketingCode'))
    expect(container.textContent).not.toContain('Marketing Code Promotion')
  })
})
