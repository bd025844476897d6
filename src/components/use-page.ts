import { useDidHide, useDidShow } from '@tarojs/taro'
import { reaction } from 'mobx'
import { useEffect, useRef } from 'react'
import type { MessageKey } from '../i18n'
import { useStore } from '../stores/context'

/**
 * Keeps the page title in the working language while the page is visible, and makes sure somebody is
 * signed in: a page opened without a session starts one (or sends the browser preview to sign-in).
 */
export function usePage(titleKey: MessageKey, options: { requiresSession?: boolean } = {}) {
  const { i18n, platform, session } = useStore()
  const visible = useRef(true)
  const requiresSession = options.requiresSession ?? true

  const applyTitle = () => platform.ui.setTitle(i18n.t(titleKey))
  /** The document speaks the working language (screen readers pronounce the page with it); H5 only in effect. */
  const applyLanguage = () => {
    if (typeof document !== 'undefined' && document.documentElement) document.documentElement.lang = i18n.locale
  }

  useDidShow(() => {
    visible.current = true
    applyTitle()
    if (requiresSession) void ensureSession()
  })
  useDidHide(() => {
    visible.current = false
  })

  useEffect(() => {
    applyTitle()
    applyLanguage()
    if (requiresSession) void ensureSession()
    // the title follows the language, and its messages (fetched on demand in the browser preview)
    return reaction(
      () => `${i18n.locale} ${i18n.t(titleKey)}`,
      () => {
        applyLanguage()
        if (visible.current) applyTitle()
      },
    )
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  async function ensureSession() {
    if (session.phase === 'idle' || session.unconfirmed) await session.start()
    if (session.phase === 'needs-dev-signin') platform.nav.replace('/pages/signin/index')
  }
}
