import { Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import type { MessageKey } from '../i18n'
import { LOCALES, LOCALE_NAMES } from '../../packages/contract/rules/locale'
import { useStore } from '../stores/context'
import { ariaBool, pressable } from './a11y'

/**
 * A text in the working language. With `native`, on a page where the language changes in front of the staff
 * member (the Language page, which declares the components in its config), DingTalk shows it with a native
 * component (src/native) that updates its own text on a switch, so the switch sends little more than the new
 * text; elsewhere, and in the browser preview, it is a Taro Text.
 */
export const LiveText = observer(function LiveText({
  k,
  date,
  className,
  id,
  native = false,
}: {
  k: MessageKey
  date?: number
  className?: string
  id?: string
  native?: boolean
}) {
  const { i18n, platform } = useStore()
  if (native && platform.liveText) {
    platform.liveText.attach(i18n.liveSource())
    return <posm-text id={id} k={k} d={date ?? null} c={className ?? ''} />
  }
  return (
    <Text className={className} id={id}>
      {i18n.t(k, date === undefined ? undefined : { date: i18n.date(date) })}
    </Text>
  )
})

/**
 * The working-language choice: the hint, then one radio per language in its own name. Applies at once. In
 * DingTalk a native component (the page that shows it declares posm-lang-list).
 */
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
