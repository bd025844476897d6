import { Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import type { MessageKey } from '../i18n'
import { LOCALES, LOCALE_NAMES } from '../rules/locale'
import { useStore } from '../stores/context'
import { ariaBool, pressable } from './a11y'

/**
 * Texts shown while the working language can change in front of the staff member (the language page, the
 * bottom navigation). In DingTalk they are native components (src/native) that update their own text on a
 * switch, so the switch sends little more than the new texts; the browser preview renders Taro components.
 */
export const LiveText = observer(function LiveText({ k, date, className, id }: { k: MessageKey; date?: number; className?: string; id?: string }) {
  const { i18n, platform } = useStore()
  if (platform.liveText) {
    platform.liveText.attach(i18n.liveSource())
    return <posm-text id={id} k={k} d={date ?? null} c={className ?? ''} />
  }
  return (
    <Text className={className} id={id}>
      {i18n.t(k, date === undefined ? undefined : { date: i18n.date(date) })}
    </Text>
  )
})

/** The working-language choice: the hint, then one radio per language in its own name. Applies at once. */
export const LanguageChoice = observer(function LanguageChoice() {
  const { i18n, platform } = useStore()
  if (platform.liveText) {
    platform.liveText.attach(i18n.liveSource())
    return <posm-lang-list k='lang.hint' />
  }
  return (
    <>
      <Text className='card__body' id='lang-hint'>
        {i18n.t('lang.hint')}
      </Text>
      {/* Labels that do not change with the language (the hint's id, each language's own name, the
          checked state) keep a switch's updates down to the texts that do change. */}
      <View className='list' role='radiogroup' aria-labelledby='lang-hint'>
        {LOCALES.map((locale) => {
          const current = locale === i18n.locale
          return (
            <View
              key={locale}
              id={`lang-${locale}`}
              className={`list__item ${current ? 'list__item--current' : ''}`}
              role='radio'
              aria-checked={ariaBool(current)}
              {...pressable(() => i18n.setLocale(locale))}
              onClick={() => i18n.setLocale(locale)}
            >
              <Text className='list__label'>{LOCALE_NAMES[locale]}</Text>
            </View>
          )
        })}
      </View>
    </>
  )
})
