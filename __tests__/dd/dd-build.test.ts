/**
 * The compiled DingTalk build (dist/dd), booted in a VM with a recording fake of the DingTalk host,
 * talking to the real local workspace server (in development mode, on a loopback port): it boots, signs
 * in with a DingTalk auth code, renders the association form, sends a request, and switches language
 * from the bottom-center item, kept across a restart.
 */
import fs from 'node:fs'
import path from 'node:path'
import { DICTIONARIES } from '../../src/i18n/all'
import { DIST, localServerForFile } from './local-server'
import { MiniVm } from './mini-vm'
const en = DICTIONARIES.en
const ja = DICTIONARIES.ja
const zhTW = DICTIONARIES['zh-TW']
const ko = DICTIONARIES.ko
const th = DICTIONARIES.th

const server = localServerForFile()
const bytesReport: Array<[string, string, number]> = []

afterAll(() => {
  if (bytesReport.length) {
    console.log(
      [
        'setData traffic of the compiled dd build (bytes of JSON):',
        ...bytesReport.map(([step, route, n]) => `  ${step.padEnd(34)} ${route.padEnd(24)} ${String(n).padStart(7)}`),
      ].join('\n'),
    )
  }
})

function boot(storage?: Map<string, unknown>, language = 'en-US', onSetData?: (route: string, json: string) => void) {
  const vm = new MiniVm({ dist: DIST, language, httpRequest: server.httpRequest, onSetData })
  if (storage) for (const [k, v] of storage) vm.storage.set(k, v)
  vm.launch()
  return vm
}

describe('the compiled DingTalk build', () => {
  it('boots, signs in with a DingTalk auth code, and shows the locked product list', async () => {
    const vm = boot()
    await vm.until(() => vm.text().includes('Hello, Aisyah Rahman'), 'the signed-in home page')
    bytesReport.push(['first render of home', vm.currentPage.route, vm.setDataBytes.get('pages/index/index') ?? 0])
    expect(vm.calls.find((c) => c.api === 'getAuthCode')?.options).toMatchObject({ corpId: expect.any(String) })
    expect(vm.text()).toContain('Marketing Code Promotion')
    expect(vm.text()).toContain('Associate with your ISO to unlock promotions.')
    expect(vm.title).toBe(en['title.home'])
    expect(vm.errors).toEqual([])
  })

  it('starts in DingTalk’s own language, normalised', async () => {
    const vm = boot(undefined, 'zh-Hant')
    await vm.until(() => vm.text().includes(zhTW['home.product.marketingCode']), 'Traditional Chinese home')
    expect(vm.text()).toContain(zhTW['nav.language'])
    expect(vm.title).toBe(zhTW['title.home'])
  })

  it('renders the association form, refuses bad input with a clear message, and sends a request', async () => {
    const vm = boot()
    await vm.until(() => vm.text().includes('Hello, Aisyah Rahman'), 'home')
    vm.tap(vm.byId('open-association'))
    await vm.until(() => vm.currentPage.route === 'pages/associate/index' && vm.text().includes('Phone No.'), 'the association form')
    expect(vm.title).toBe(en['title.associate'])
    for (const label of ['ISO Email', 'Name', 'Phone No.', 'DingTalk invitation', 'ISO Platform QR code']) expect(vm.text()).toContain(label)

    const before = vm.setDataBytes.get('pages/associate/index') ?? 0
    vm.input(vm.byId('isoEmail'), 'ops@')
    await vm.settle()
    bytesReport.push(['one keystroke in a form field', 'pages/associate/index', (vm.setDataBytes.get('pages/associate/index') ?? 0) - before])

    vm.input(vm.byId('phone'), '81234567')
    await vm.settle()
    vm.tap(vm.byId('submit-association'))
    await vm.until(() => vm.text().includes('Enter a valid email address'), 'the field errors')
    expect(vm.text()).toContain('Start with + and the country code, for example +65.')
    expect(vm.text()).toContain('This field is required.')

    vm.input(vm.byId('isoEmail'), 'ops@lioncitypay.example')
    vm.input(vm.byId('name'), 'Aisyah Rahman')
    vm.input(vm.byId('phone'), '+65 8123 4567')
    await vm.settle()
    vm.tap(vm.byId('submit-association'))
    await vm.until(() => vm.text().includes('Your request to Lion City Payments Pte. Ltd. is pending.'), 'the pending request')
    expect(vm.calls.some((c) => c.api === 'showToast')).toBe(true)
    expect(vm.errors).toEqual([])
  })

  it('switches language from the bottom-center item: page, title and navigation; kept after a restart', async () => {
    const sent: Array<{ route: string; json: string }> = []
    const vm = boot(undefined, 'en-US', (route, json) => sent.push({ route, json }))
    await vm.until(() => vm.text().includes('Hello,'), 'home')
    const nav = vm.byId('nav-language')
    expect(nav).not.toBeNull()
    vm.tap(nav)
    await vm.until(() => vm.currentPage.route === 'pages/language/index' && vm.text().includes('日本語'), 'the language page')
    expect(vm.byId('lang-en')?.['aria-checked']).toBe('true')
    const before = vm.setDataBytes.get('pages/language/index') ?? 0
    const sentBefore = sent.length
    vm.tap(vm.byId('lang-ja'))
    await vm.until(() => vm.text().includes(ja['lang.hint']), 'Japanese labels')
    await vm.settle()
    const switchBytes = (vm.setDataBytes.get('pages/language/index') ?? 0) - before
    bytesReport.push(['language switch', 'pages/language/index', switchBytes])
    // the texts change once, when the new language's messages are there: no render of English texts with the new
    // language's dates first, and no more bytes than the page's visible text (the bench's budget)
    const switchTexts = sent.slice(sentBefore).filter((s) => s.route === 'pages/language/index')
    for (const { json } of switchTexts) expect(json).not.toContain(en['lang.hint'])
    expect(switchBytes).toBeLessThanOrEqual(Buffer.byteLength(vm.text()))
    // the chosen language is checked, the previous one no longer
    expect(vm.byId('lang-ja')).toMatchObject({ 'aria-checked': 'true', cl: expect.stringContaining('list__item--current') })
    expect(vm.byId('lang-en')).toMatchObject({ 'aria-checked': 'false', cl: expect.not.stringContaining('list__item--current') })
    // the native components send their new texts themselves: nothing of the page's tree is resent
    const switchUpdates = sent.slice(sentBefore).filter((s) => s.route === 'pages/language/index')
    expect(switchUpdates.length).toBeGreaterThan(0)
    for (const { json } of switchUpdates) expect(Object.keys(JSON.parse(json) as object).some((k) => k.startsWith('root'))).toBe(false)
    expect(vm.text()).toContain(ja['lang.today'].replace('{date}', '').trim().split(' ')[0])
    expect(vm.text()).toContain(ja['nav.home'])
    expect(vm.text()).toContain(ja['nav.me'])
    expect(vm.text()).not.toContain(en['lang.hint'])
    expect(vm.title).toBe(ja['title.language'])
    // the first switch fetched the other languages' messages (the main package carries English only): a
    // switch between languages already there, to count its updates
    const sentLoaded = sent.length
    vm.tap(vm.byId('lang-th'))
    await vm.until(() => vm.text().includes(th['lang.hint']), 'Thai labels')
    await vm.settle()
    const loadedUpdates = sent.slice(sentLoaded).filter((s) => s.route === 'pages/language/index')
    expect(loadedUpdates.length).toBeGreaterThan(0)
    vm.tap(vm.byId('lang-ja'))
    await vm.until(() => vm.text().includes(ja['lang.hint']), 'Japanese labels again')
    await vm.settle()

    // a page that is left unmounts its native components: after leaving and coming back, a switch is
    // heard by the new page's components only (as many updates as before, not twice as many)
    vm.tap(vm.byId('nav-me'))
    await vm.until(() => vm.currentPage.route === 'pages/me/index' && vm.text().includes(ja['nav.home']), 'the me page')
    vm.tap(vm.byId('nav-language'))
    await vm.until(() => vm.byId('lang-ko') !== null, 'the language page again')
    await vm.settle()
    expect(vm.byId('lang-ja')?.['aria-checked']).toBe('true')
    const afterReturning = sent.length
    vm.tap(vm.byId('lang-ko'))
    await vm.until(() => vm.text().includes(ko['lang.hint']), 'Korean labels')
    await vm.settle()
    expect(sent.slice(afterReturning).filter((s) => s.route === 'pages/language/index')).toHaveLength(loadedUpdates.length)
    vm.tap(vm.byId('lang-ja'))
    await vm.until(() => vm.text().includes(ja['lang.hint']), 'Japanese again')

    // a restart: the same device storage, a new engine
    const again = boot(vm.storage)
    await again.until(() => again.text().includes(ja['home.product.marketingCode']), 'Japanese home after restart')
    expect(again.title).toBe(ja['title.home'])
    expect(again.errors).toEqual([])
  })

  // 0465-mini-app-acss-style-syntax-reference.md: 不支持属性选择器 (attribute selectors are not supported)
  it('its style sheets use no attribute selector, which ACSS does not support', () => {
    const sheets: string[] = []
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name)
        if (entry.isDirectory()) walk(full)
        else if (entry.name.endsWith('.acss')) sheets.push(full)
      }
    }
    walk(DIST)
    expect(sheets.map((f) => path.relative(DIST, f))).toContain('app.acss')
    const found: string[] = []
    for (const file of sheets) {
      const css = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')
      // the selectors: the text before each `{` (declarations sit between `{` and `}`)
      for (const m of css.matchAll(/([^{}]+)\{/g)) if (/\[[^\]]*\]/.test(m[1])) found.push(`${path.relative(DIST, file)}: ${m[1].trim()}`)
    }
    expect(found).toEqual([])
  })
})
