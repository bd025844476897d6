import { act, fireEvent } from '@testing-library/react'
import HomePage from '../../src/pages/index/index'
import { profile } from '../helpers/fixtures'
import { renderSignedIn } from './render'

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

  it('speaks the working language everywhere on the page', async () => {
    const { container, root } = await renderSignedIn(<HomePage />, profile({ status: 'none' }), {}, 'vi-VN')
    expect(root.i18n.locale).toBe('vi')
    expect(container.textContent).toContain(root.i18n.t('home.product.marketingCode'))
    expect(container.textContent).not.toContain('Marketing Code Promotion')
  })
})
