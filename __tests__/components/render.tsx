import { act, render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { RootStore } from '../../src/stores/root-store'
import { StoreContext } from '../../src/stores/context'
import { fakePlatform, json } from '../helpers/fake-platform'
import { profile, session } from '../helpers/fixtures'
import type { StaffProfile } from '../../packages/contract/api'

/** Renders a page or component with a whole root store on fake ports, signed in as `staff`. */
export async function renderSignedIn(ui: ReactElement, staff: StaffProfile = profile(), routes: Parameters<typeof fakePlatform>[0] = {}, language = 'en') {
  const platform = fakePlatform(
    {
      'POST /api/auth/dev': () => json(200, session(staff)),
      'GET /api/me': () => json(200, staff),
      'GET /api/association': () => json(200, staff.association),
      ...routes,
    },
    { language },
  )
  const root = new RootStore(platform, { apiBaseUrl: 'http://api', corpId: 'corp' }, { retryDelaysMs: [] })
  await root.session.devSignIn(staff.id)
  const utils = render(<StoreContext.Provider value={root}>{ui}</StoreContext.Provider>)
  // let the page's effects (refreshing its data) settle, as a person would wait for the page
  await act(async () => undefined)
  return { ...utils, root, platform }
}
