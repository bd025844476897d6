/**
 * Accessibility audit of the H5 build: every page of the app, in English and in Thai, signed in as suitable
 * seeded staff, with axe-core (WCAG 2.0/2.1 A and AA and best practices; no network) and checks of our own:
 * every interactive control is exposed with its role and has an accessible name in the working language,
 * and is a touch target of at least 44×44 CSS px in the phone viewport. Prints pages × violations.
 */
import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { DICTIONARIES } from '../../src/i18n/all'
import { fillMerchant, fillStore, next, startPromotion } from './flows'
import { openAppAs, phone, startServerAndBrowserForFile, takePhoto } from './harness'
import { picture } from './pictures'
const en = DICTIONARIES.en
const th = DICTIONARIES.th

const env = startServerAndBrowserForFile()

type Lang = 'en' | 'th'
const OTHER: Lang = 'th'
const AXE_PATH = require.resolve('axe-core/axe.min.js')
const MIN_TARGET = 44
const IMPACTS = ['critical', 'serious', 'moderate', 'minor'] as const
type Impact = (typeof IMPACTS)[number]

interface Violation {
  id: string
  impact: Impact | null
  help: string
  targets: string[]
}

interface Control {
  selector: string
  role: string | null
  name: string
  width: number
  height: number
}

interface Row {
  page: string
  lang: Lang
  violations: Violation[]
  /** Problems found by our own checks (names, roles, language, touch targets). */
  problems: string[]
}

const rows: Row[] = []

/** English texts that the other language translates: such a text as a control's name there is untranslated. */
const ENGLISH_ONLY = new Set(
  Object.entries(en)
    .filter(([key, value]) => (th as Record<string, string>)[key] !== value && !value.includes('{'))
    .map(([, value]) => value.trim()),
)

/** The JSON form in which Taro's H5 storage keeps a value (`{ data }` in localStorage). */
const storedLocale = (lang: Lang) => JSON.stringify({ data: lang })

/** Waits until the page has loaded what it shows (no "Loading…") and the layout has settled. */
async function settle(page: Page, ready: string) {
  await page.locator(ready).first().waitFor()
  await page.waitForLoadState('networkidle').catch(() => undefined)
  await page.waitForFunction(
    (loading) => {
      const visible = Array.from(document.querySelectorAll('.taro_page')).filter((p) => (p as HTMLElement).checkVisibility())
      return visible.every((p) => !loading.some((text) => (p.textContent ?? '').includes(text)))
    },
    [en['common.loading'], th['common.loading']],
  )
  await page.waitForTimeout(350)
}

/** Runs axe and our checks on what is on screen now. */
/**
 * axe-core is injected into the page as an inline script, which the app's Content-Security-Policy rightly
 * refuses; the audit's own browser contexts let the tool in (the other end-to-end tests run under the policy).
 */
const AUDIT_CONTEXT = { bypassCSP: true }

async function audit(page: Page, name: string, lang: Lang, ready: string) {
  await settle(page, ready)
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH })
  const violations: Violation[] = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'], resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: (v.impact ?? null) as Impact | null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }))
  })
  const controls: Control[] = await page.evaluate(() => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe
    const selector =
      'button, taro-button-core, input:not([type="hidden"]):not([type="file"]), textarea, [role="link"], [role="button"], [role="checkbox"], [role="radio"]'
    axe.setup(document)
    try {
      return Array.from(document.querySelectorAll<HTMLElement>(selector))
        .filter((el) => el.checkVisibility())
        .map((el) => {
          // a Taro input or textarea is a web component around the real field: the component is what is touched
          const target = (el.closest('taro-input-core, taro-textarea-core') as HTMLElement | null) ?? el
          const box = target.getBoundingClientRect()
          const where = el.id ? `#${el.id}` : (el.closest('[id]') ? `#${el.closest('[id]')?.id} ` : '') + el.tagName.toLowerCase()
          return {
            selector: where,
            role: (axe.commons.aria as unknown as { getRole(node: Element): string | null }).getRole(el),
            name: axe.commons.text.accessibleText(el).trim(),
            width: box.width,
            height: box.height,
          }
        })
    } finally {
      axe.teardown()
    }
  })
  const problems: string[] = []
  const htmlLang = await page.evaluate(() => document.documentElement.lang)
  if (htmlLang !== lang) problems.push(`<html lang="${htmlLang}"> while the working language is ${lang}`)
  for (const c of controls) {
    if (c.selector.includes('taro-button-core') || c.role === null || c.role === 'generic' || c.role === 'presentation') {
      problems.push(`${c.selector}: not exposed as a control (role ${c.role})`)
    }
    if (!c.name) problems.push(`${c.selector}: no accessible name`)
    else if (lang !== 'en' && ENGLISH_ONLY.has(c.name)) problems.push(`${c.selector}: name "${c.name}" is English`)
    if (c.width < MIN_TARGET - 0.01 || c.height < MIN_TARGET - 0.01) problems.push(`${c.selector}: touch target ${c.width.toFixed(1)}×${c.height.toFixed(1)}`)
  }
  rows.push({ page: name, lang, violations, problems })
}

async function setLanguage(page: Page, lang: Lang) {
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), ['posm.locale', storedLocale(lang)])
  await page.reload()
}

/** Audits the page in English, then in the other language (kept setting, reload), and leaves it in English. */
async function auditBoth(page: Page, name: string, ready: string, prepare?: () => Promise<void>) {
  await audit(page, name, 'en', ready)
  await setLanguage(page, OTHER)
  await prepare?.()
  await audit(page, name, OTHER, ready)
  await setLanguage(page, 'en')
  await prepare?.()
  await page.locator(ready).first().waitFor()
}

async function visit(page: Page, route: string, name: string, ready: string) {
  await page.goto(`${env.server.base}/#/pages/${route}`)
  await auditBoth(page, name, ready)
}

function serious(row: Row) {
  return row.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** Everything serious or critical, and every problem of our own checks, for the pages audited by a test. */
function failuresSince(start: number): string[] {
  return rows
    .slice(start)
    .flatMap((row) => [
      ...serious(row).map(
        (v) =>
          `${row.page} [${row.lang}] ${v.impact} ${v.id}: ${v.help} — ${v.targets.slice(0, 4).join(', ')}${v.targets.length > 4 ? ` (+${v.targets.length - 4})` : ''}`,
      ),
      ...row.problems.map((p) => `${row.page} [${row.lang}] ${p}`),
    ])
}

afterAll(() => {
  // A11Y_REPORT=<file> keeps every finding (all impacts, every node) as JSON
  if (process.env.A11Y_REPORT) fs.writeFileSync(process.env.A11Y_REPORT, JSON.stringify(rows, null, 2))
  const head = ['page', 'lang', ...IMPACTS, 'own checks', 'rules']
  const body = rows.map((r) => {
    const count = (impact: Impact) => r.violations.filter((v) => v.impact === impact).reduce((n, v) => n + v.targets.length, 0)
    return [r.page, r.lang, ...IMPACTS.map((i) => String(count(i))), String(r.problems.length), r.violations.map((v) => v.id).join(' ') || '—']
  })
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (i === head.length - 1 ? 0 : b[i].length))))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join(' | ')
  process.stdout.write(
    `\nAccessibility audit (axe-core ${require('axe-core/package.json').version}; counts are nodes per impact)\n${line(head)}\n${body.map(line).join('\n')}\n\n`,
  )
})

describe('accessibility of the H5 build (axe-core, names, touch targets, contrast)', () => {
  it('signed out: the sign-in page', async () => {
    const start = rows.length
    const context = await phone(env.browser, AUDIT_CONTEXT)
    const page = await context.newPage()
    await page.goto(`${env.server.base}/`)
    await auditBoth(page, 'signin', '#signin-staff-aisyah')
    await context.close()
    expect(failuresSince(start)).toEqual([])
  })

  it('an unassociated staff member: product list (locked), association form, language, me', async () => {
    const start = rows.length
    const context = await phone(env.browser, AUDIT_CONTEXT)
    const page = await context.newPage()
    await openAppAs(page, env.server.base, 'staff-aisyah')
    await auditBoth(page, 'index (locked)', '#association-card')
    await visit(page, 'associate/index', 'associate', '#association-form')
    await visit(page, 'language/index', 'language', '#lang-en')
    await visit(page, 'me/index', 'me (unassociated)', '#me-name')
    await context.close()
    expect(failuresSince(start)).toEqual([])
  })

  it('an associated staff member (Verify-Then-Deploy): products, me, results, detail, appeal, drafts, tasks, a task, the wizard', async () => {
    const start = rows.length
    const context = await phone(env.browser, AUDIT_CONTEXT)
    const page = await context.newPage()
    await openAppAs(page, env.server.base, 'staff-chen')
    await auditBoth(page, 'index', '#open-drafts')
    await visit(page, 'me/index', 'me', '#me-test-account')
    await visit(page, 'associate/index', 'associate (associated)', '#association-status')
    await visit(page, 'results/index', 'results', '#result-prm-seed-kopi')
    await visit(page, 'results/detail/index?id=prm-seed-kopi', 'results/detail', '#detail-payment')
    await visit(page, 'results/appeal/index?id=prm-seed-kopi', 'results/appeal', '#appeal-reason')
    await visit(page, 'promotion/drafts/index', 'promotion/drafts', '#promotion-prm-seed-kopi')
    await visit(page, 'inspection/tasks/index', 'inspection/tasks', '#task-ins-seed-kopi')
    await visit(page, 'inspection/task/index?id=ins-seed-laksa', 'inspection/task (store)', '#inspect-store')

    // the wizard under Verify-Then-Deploy starts with the payment: the wallets, then the tool and both modes
    await page.goto(`${env.server.base}/#/pages/index/index`)
    await startPromotion(page, 'marketing-code')
    await page.locator('#payment-panel').waitFor()
    await page.locator('#wallet-ALIPAY').click()
    await auditBoth(page, 'promotion/wizard (VTD: payment)', '#pay-UPM-verify')
    await context.close()
    expect(failuresSince(start)).toEqual([])
  })

  it('an associated staff member (Deploy-Then-Verify): every wizard step, the outcome, drafts with a payment to verify, verify', async () => {
    const start = rows.length
    const context = await phone(env.browser, AUDIT_CONTEXT)
    const page = await context.newPage()
    await openAppAs(page, env.server.base, 'staff-dao')
    await startPromotion(page, 'primary-posm')
    await auditBoth(page, 'promotion/wizard (DTV: store)', '#step-store')
    await fillStore(page, 'Toko Aksesibel', 900, ['GCASH'])
    await next(page, 'spots')
    await page.locator('#add-spot').click()
    await page.locator('#spot-0-position-CASHIER_COUNTER').click()
    await page.locator('#spot-1-position-OTHER').click()
    await takePhoto(page, '#spot-0-photo', picture(901))
    await page.locator('#spot-0-photo-field .photo__img').waitFor()
    await auditBoth(page, 'promotion/wizard (spots)', '#spot-1-note', () => page.locator('#spot-0-photo-field .photo__img').waitFor())
    await page.locator('#spot-1-remove').click()
    await page.locator('#spot-0-material-STICKER').click()
    await next(page, 'merchant')
    await fillMerchant(page)
    await auditBoth(page, 'promotion/wizard (merchant)', '#step-merchant')
    await next(page, 'summary')
    await auditBoth(page, 'promotion/wizard (summary)', '#step-summary')
    await page.locator('#wizard-submit').click()
    await page.locator('#wizard-outcome[data-state="submitted"]').waitFor()
    await audit(page, 'promotion/wizard (submitted)', 'en', '#verify-now')

    await visit(page, 'promotion/drafts/index', 'promotion/drafts (to verify)', '[id^="verify-prm-"]')
    await page.locator('[id^="verify-prm-"]').first().click()
    await page.locator('#payment-tool').waitFor()
    await auditBoth(page, 'promotion/verify', '#pay-UPM-verify')
    await visit(page, 'inspection/task/index?id=ins-seed-warung', 'inspection/task (DTV store)', '#inspect-store')
    await context.close()
    expect(failuresSince(start)).toEqual([])
  })
})
