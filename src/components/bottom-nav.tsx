import { View } from '@tarojs/components'
import { observer } from 'mobx-react'
import type { MessageKey } from '../i18n'
import { useStore } from '../stores/context'
import { pressable } from './a11y'
import { LiveText } from './live-text'

export type NavItem = 'home' | 'results' | 'language' | 'drafts' | 'me'

// Each item's icon is drawn by the class bottom-nav__icon--<id> (src/styles/nav-icons.css).
const ITEMS: Array<{ id: NavItem; label: MessageKey; url: string }> = [
  { id: 'home', label: 'nav.home', url: '/pages/index/index' },
  { id: 'results', label: 'nav.results', url: '/pages/results/index' },
  // The center item opens the working-language choice, as the specification says.
  { id: 'language', label: 'nav.language', url: '/pages/language/index' },
  { id: 'drafts', label: 'nav.drafts', url: '/pages/promotion/drafts/index' },
  { id: 'me', label: 'nav.me', url: '/pages/me/index' },
]

/**
 * The bottom navigation, drawn by the app: DingTalk cannot relabel a native tab bar after a language
 * change, this one follows the working language at once. `liveLabels`: on the Language page, DingTalk shows
 * the labels with native text components (see LiveText), so that a switch resends only the labels.
 */
export const BottomNav = observer(function BottomNav({ current, liveLabels = false }: { current: NavItem; liveLabels?: boolean }) {
  const { platform } = useStore()
  const go = (item: (typeof ITEMS)[number]) => {
    if (item.id !== current) platform.nav.replace(item.url)
  }
  return (
    // the only navigation landmark: it needs no label (one less text to resend on a language switch)
    <View className='bottom-nav' role='navigation'>
      {ITEMS.map((item) => (
        <View
          key={item.id}
          id={`nav-${item.id}`}
          className={`bottom-nav__item ${item.id === current ? 'bottom-nav__item--current' : ''} ${item.id === 'language' ? 'bottom-nav__item--center' : ''}`}
          role='link'
          aria-current={item.id === current ? 'page' : undefined}
          {...pressable(() => go(item))}
          onClick={() => go(item)}
        >
          <View className={`bottom-nav__icon bottom-nav__icon--${item.id}`} aria-hidden='true' />
          <LiveText className='bottom-nav__label' k={item.label} native={liveLabels} />
        </View>
      ))}
    </View>
  )
})
