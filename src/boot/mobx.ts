import { configure } from 'mobx'

// Proxy support on DingTalk's engines is unverified: MobX falls back to its ES5 implementation without it.
configure({ enforceActions: 'observed', useProxies: 'ifavailable', isolateGlobalState: true })
