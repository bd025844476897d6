import { act, fireEvent, screen } from '@testing-library/react'
import LanguagePage from '../../src/pages/language/index'
import { renderSignedIn } from './render'

describe('language page (bottom-center navigation item)', () => {
  it('lists the nine languages in their own names', async () => {
    const { container } = await renderSignedIn(<LanguagePage />)
    for (const name of ['English', '简体中文', '繁體中文', '日本語', '한국어', 'ภาษาไทย', 'Bahasa Melayu', 'Bahasa Indonesia', 'Tiếng Việt']) {
      expect(container.textContent).toContain(name)
    }
  })

  it('switching relabels the page, the navigation and the title at once, and keeps the choice', async () => {
    const { container, root, platform } = await renderSignedIn(<LanguagePage />)
    expect(container.textContent).toContain('Home')
    expect(platform.ui.setTitle).toHaveBeenLastCalledWith('Working language')
    await act(async () => {
      fireEvent.click(container.querySelector('#lang-ja')!)
    })
    expect(root.i18n.locale).toBe('ja')
    // the current language is checked (a drawn check mark and the radio's state), the previous one no longer
    expect(container.querySelector('#lang-ja')!.getAttribute('aria-checked')).toBe('true')
    expect(container.querySelector('#lang-ja')!.className).toContain('list__item--current')
    expect(container.querySelector('#lang-en')!.getAttribute('aria-checked')).toBe('false')
    expect(container.querySelector('#lang-en')!.className).not.toContain('list__item--current')
    const nav = container.querySelector('.bottom-nav')!
    expect(nav.textContent).toContain(root.i18n.t('nav.home'))
    expect(nav.textContent).not.toContain('Home')
    expect(platform.ui.setTitle).toHaveBeenLastCalledWith(root.i18n.t('title.language'))
    expect(root.i18n.t('title.language')).not.toBe('Working language')
    expect(platform.storage.data.get('posm.locale')).toBe('ja')
    expect(screen.getByText(root.i18n.t('lang.hint'))).toBeTruthy()
  })
})
