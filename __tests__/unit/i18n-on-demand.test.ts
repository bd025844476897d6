/**
 * The browser preview loads the core section's other languages on demand (LanguagesPort): until they
 * arrive English stands in, observers hear of their arrival, and a failed fetch is tried again at the next
 * change of language. A fresh module registry holds only English, as the preview does at start-up.
 */
import { core } from '../../src/i18n/sections/core'
import { memoryStorage } from '../helpers/fake-platform'

type I18nModule = typeof import('../../src/i18n')
type StoreModule = typeof import('../../src/stores/i18n-store')
type MobxModule = typeof import('mobx')

function freshI18n() {
  let i18n!: I18nModule
  let store!: StoreModule
  let mobx!: MobxModule
  jest.isolateModules(() => {
    // the registry's own MobX, configured as the app's (its state is isolated from the outer one's)
    require('../helpers/mobx-config')
    mobx = require('mobx') as MobxModule
    i18n = require('../../src/i18n') as I18nModule
    store = require('../../src/stores/i18n-store') as StoreModule
  })
  // the chunk arrives a moment later, as a fetched chunk does
  const arrives = () => new Promise<void>((resolve) => setTimeout(() => resolve(i18n.addMessages(core)), 0))
  let answer: () => Promise<void> = arrives
  const languages = { load: jest.fn(() => answer()) }
  return {
    i18n,
    I18nStore: store.I18nStore,
    autorun: mobx.autorun,
    languages,
    failNext: () => (answer = () => Promise.reject(new Error('offline'))),
    succeedNext: () => (answer = arrives),
  }
}

const settle = () => new Promise((r) => setTimeout(r, 5))

describe('working languages loaded on demand (browser preview)', () => {
  it('English needs no load; another language shows English until its messages arrive, then re-renders', async () => {
    const { I18nStore, autorun, languages } = freshI18n()
    const english = new I18nStore(memoryStorage(), { language: () => 'en-US' }, languages)
    expect(languages.load).not.toHaveBeenCalled()
    expect(english.t('nav.home')).toBe('Home')

    const storage = memoryStorage()
    storage.data.set('posm.locale', 'th')
    const thai = new I18nStore(storage, { language: () => 'en-US' }, languages)
    const seen: string[] = []
    const stop = autorun(() => seen.push(thai.t('nav.home')))
    expect(seen).toEqual(['Home'])
    expect(languages.load).toHaveBeenCalledTimes(1)
    await settle()
    expect(seen).toEqual(['Home', core.th['nav.home']])
    stop()
  })

  it('a failed fetch keeps English and is tried again at the next change of language', async () => {
    const { I18nStore, languages, failNext, succeedNext } = freshI18n()
    const store = new I18nStore(memoryStorage(), { language: () => 'en' }, languages)
    failNext()
    store.setLocale('ja')
    await settle()
    expect(store.t('nav.home')).toBe('Home')
    succeedNext()
    store.setLocale('ko')
    await settle()
    expect(languages.load).toHaveBeenCalledTimes(2)
    expect(store.t('nav.home')).toBe(core.ko['nav.home'])
    store.setLocale('ja')
    expect(store.t('nav.home')).toBe(core.ja['nav.home'])
    expect(languages.load).toHaveBeenCalledTimes(2)
  })
})
