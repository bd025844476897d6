import { makeAutoObservable, reaction } from 'mobx'
import type { Locale } from '../../packages/contract/api'
import { formatDate, hasMessage, translate, type MessageKey, type Params } from '../i18n'
import type { LanguagesPort, LiveTextSource, StoragePort, SystemPort } from '../platform/types'
import { LOCALES, LOCALE_NAMES, normaliseLocale } from '../../packages/contract/rules/locale'

export const LOCALE_STORAGE_KEY = 'posm.locale'

/** The working language: DingTalk's language by default, else English; the staff member's choice is kept. */
export class I18nStore {
  /** The language chosen (the language page marks it). */
  locale: Locale
  /**
   * The language the texts and dates are in: the chosen one, once its messages are there (a change of language to one
   * not loaded yet keeps the texts as they are until they arrive, then changes them all in one render, instead of a
   * render of English texts with the new language's dates first); offline, the chosen one with English standing in.
   */
  private textLocale: Locale
  /** Counts the loads of the working languages' messages, so that observers re-render when they arrive. */
  private loads = 0

  constructor(
    private readonly storage: StoragePort,
    system: SystemPort,
    private readonly languages: LanguagesPort,
  ) {
    const saved = storage.get<string>(LOCALE_STORAGE_KEY)
    this.locale = (saved && (LOCALES as readonly string[]).includes(saved) ? (saved as Locale) : null) ?? normaliseLocale(system.language()) ?? 'en'
    this.textLocale = this.locale
    makeAutoObservable<this, 'storage' | 'languages' | 'ensureMessages' | 'live'>(
      this,
      { storage: false, languages: false, ensureMessages: false, live: false },
      { autoBind: true },
    )
    this.ensureMessages()
  }

  private live: LiveTextSource | null = null

  /** The source of the DingTalk build's native text components (one per store). */
  liveSource(): LiveTextSource {
    this.live ??= {
      text: (key, date) => translate(this.textLocale, key as MessageKey, date === undefined || date === null ? undefined : { date: this.date(date) }),
      locale: () => this.locale,
      languages: () => LOCALES.map((code) => ({ code, name: LOCALE_NAMES[code] })),
      setLocale: (code) => {
        if ((LOCALES as readonly string[]).includes(code)) this.setLocale(code as Locale)
      },
      subscribe: (listener) =>
        reaction(
          () => [this.locale, this.textLocale, this.loads],
          () => listener(),
        ),
    }
    return this.live
  }

  setLocale(locale: Locale) {
    this.locale = locale
    try {
      this.storage.set(LOCALE_STORAGE_KEY, locale)
    } catch {
      // storage full: the choice still applies for this run
    }
    if (hasMessage(locale, 'app.name')) this.textLocale = locale
    else this.ensureMessages()
  }

  /** The working language's core messages, fetched when not there yet (English stands in meanwhile). */
  private ensureMessages() {
    if (hasMessage(this.locale, 'app.name')) return
    const wanted = this.locale
    this.languages.load().then(
      () => this.messagesLoaded(wanted),
      // not reachable now (offline): the chosen language with English standing in; the next change of language tries again
      () => this.messagesLoaded(wanted),
    )
  }

  /** More messages are there (or none will come now): what shows text renders again, in the chosen language. */
  private messagesLoaded(wanted: Locale) {
    this.loads++
    if (this.locale === wanted) this.textLocale = wanted
  }

  /** Reads `locale` (and the loads of messages), so an observer re-renders when the language changes. */
  t = (key: MessageKey, params?: Params): string => {
    void this.loads
    return translate(this.textLocale, key, params)
  }

  date = (value: string | number | Date, format?: string): string => {
    void this.loads
    return formatDate(this.textLocale, value, format)
  }
}
