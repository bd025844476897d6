/**
 * The harness itself: an uncaught error in a page, an unhandled rejection, or MobX complaining on the
 * console is collected (and fails the test during which it happened, see harness.ts); other console
 * output is not.
 */
import { phone, startServerAndBrowserForFile, takePageErrors } from './harness'

const env = startServerAndBrowserForFile()

describe('page errors in the end-to-end runs', () => {
  it('collects uncaught errors, unhandled rejections and MobX messages of every page', async () => {
    const context = await phone(env.browser)
    const page = await context.newPage()
    await page.goto(`${env.server.base}/`)
    expect(takePageErrors()).toEqual([])
    await page.evaluate(() => {
      console.log('[MobX] a log line is no error')
      console.error('Failed to load something unrelated')
      console.warn('[MobX] Since strict-mode is enabled, changing (observed) observable values without using an action is not allowed')
      console.error('[MobX] minified error nr: 1')
      setTimeout(() => {
        throw new Error('boom')
      })
      void Promise.reject(new Error('nobody waits for me'))
    })
    await page.waitForTimeout(200)
    const errors = takePageErrors()
    // whatever the order the browser reported them in
    expect(errors.sort()).toEqual([
      expect.stringMatching(/^MobX error at .*: \[MobX\] minified error nr: 1$/),
      expect.stringMatching(/^MobX warning at .*: \[MobX\] Since strict-mode is enabled/),
      expect.stringMatching(/^page error at .*boom/),
      expect.stringMatching(/^page error at .*nobody waits for me/),
    ])
    await context.close()
  })
})
