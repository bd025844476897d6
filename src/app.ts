// Boot order matters: globals for MobX on Taro's window, then MobX configuration, then the app.
import './boot/globals'
import './boot/mobx'
import { createElement, type PropsWithChildren } from 'react'
import { appConfig } from './platform/config'
import { createPlatform } from './platform'
import { RootStore } from './stores/root-store'
import { StoreContext } from './stores/context'
import './app.css'

const rootStore = new RootStore(createPlatform(appConfig), appConfig)

function App({ children }: PropsWithChildren) {
  return createElement(StoreContext.Provider, { value: rootStore }, children)
}

export default App
