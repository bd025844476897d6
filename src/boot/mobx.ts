import { configure } from 'mobx'

// Proxy support on DingTalk's engines is unverified: MobX falls back to its ES5 implementation without it.
// The stores keep to what works there (observable maps and sets for keyed collections, `remove` instead of
// `delete`, no `in`, no key added to an observable object); `npm test` runs the unit and component suites
// with `useProxies: 'never'` too (__tests__/helpers/mobx-config.ts).
configure({ enforceActions: 'observed', useProxies: 'ifavailable', isolateGlobalState: true })
