import { Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { BottomNav } from '../../components/bottom-nav'
import { usePage } from '../../components/use-page'
import { LOCALES, LOCALE_NAMES } from '../../rules/locale'
import { useStore } from '../../stores/context'
import { ariaBool, pressable } from '../../components/a11y'

/** The working language, opened from the bottom-center navigation item. Applies at once and is kept. */
export default observer(function LanguagePage() {
  usePage('title.language', { requiresSession: false })
  const { i18n } = useStore()
  return (
    <View className='page' role='main'>
      <View className='page__body'>
        <Text className='card__body' id='lang-hint'>
          {i18n.t('lang.hint')}
        </Text>
        {/* Labels that do not change with the language (the hint's id, each language's own name, the
            checked state) keep a switch's setData down to the texts that do change. */}
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
        <Text className='card__body' id='today'>
          {i18n.t('lang.today', { date: i18n.date(Date.now()) })}
        </Text>
      </View>
      <BottomNav current='language' />
    </View>
  )
})
