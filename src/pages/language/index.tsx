import { View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { useState } from 'react'
import { BottomNav } from '../../components/bottom-nav'
import { LanguageChoice, LiveText } from '../../components/live-text'
import { usePage } from '../../components/use-page'

/** The working language, opened from the bottom-center navigation item. Applies at once and is kept. */
export default observer(function LanguagePage() {
  usePage('title.language', { requiresSession: false })
  const [today] = useState(() => Date.now())
  return (
    <View className='page' role='main'>
      <View className='page__body'>
        <LanguageChoice />
        <LiveText id='today' className='card__body' k='lang.today' date={today} native />
      </View>
      <BottomNav current='language' liveLabels />
    </View>
  )
})
