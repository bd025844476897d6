import type { ConsoleAccountRow } from '../repo/console-accounts'
import { ROLE_LABELS } from '../services/console-accounts'
import { canAny, type Capability } from './access'
import { html, raw, type SafeHtml } from './html'

/**
 * The console's one layout: every console page is rendered by `page()`, with the navigation and the account
 * line of the account looking at it, and every form that posts is rendered by `postForm()`, which puts the
 * session's CSRF token in it. Nothing rewrites a page after it is rendered.
 *
 * To add a page: a render function taking the `Viewer` (routes get it with `viewerOf(request)`, guard.ts) that
 * returns `page({ title, viewer, nav, body })`, its forms built with `postForm(viewer, action, content)`; the
 * route sends it with `sendPage` (respond.ts); a new section of the navigation is a line of NAV_LINKS below.
 */

/** Who looks at a page: the signed-in account (navigation, account line) and its session's CSRF token (forms). */
export interface Viewer {
  account: ConsoleAccountRow
  csrf: string
}

/** A form's token: a session's (`Viewer`), or the sign-in form's own (no session yet). */
export interface FormToken {
  csrf: string
}

export type ConsoleSection = 'association' | 'method' | 'isos' | 'exports' | 'promotions' | 'inspections' | 'notifications' | 'accounts' | 'audit'

interface NavLink {
  section: ConsoleSection
  href: string
  label: string
  /** Shown to the roles with any of these capabilities (access.ts). */
  needs: Capability | Capability[]
}

const NAV_LINKS: readonly NavLink[] = [
  { section: 'association', href: '/console', label: 'Association requests', needs: ['association', 'staff', 'isoSettings'] },
  { section: 'method', href: '/console/method', label: 'Deployment method', needs: 'methodView' },
  { section: 'isos', href: '/console/isos', label: 'ISOs', needs: 'isoOnboarding' },
  { section: 'promotions', href: '/console/promotions', label: 'Alipay+ review queue', needs: 'promotions' },
  { section: 'inspections', href: '/console/inspections', label: 'Spot inspections', needs: 'inspections' },
  { section: 'exports', href: '/console/exports', label: 'Exports', needs: 'exports' },
  { section: 'notifications', href: '/console/notifications', label: 'Work notifications', needs: 'notifications' },
  { section: 'accounts', href: '/console/accounts', label: 'Accounts', needs: 'accounts' },
  { section: 'audit', href: '/console/audit', label: 'Audit trail', needs: 'audit' },
]

const STYLE = raw(`
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; }
  body { margin: 0; background: #f4f6f8; line-height: 1.45; }
  header { background: #1677ff; color: #fff; padding: 0.75rem 1.5rem; }
  header h1 { margin: 0; font-size: 1.25rem; }
  header p { margin: 0.25rem 0 0; font-size: 0.875rem; }
  main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
  section { background: #fff; border-radius: 8px; padding: 0.5rem 1rem 1rem; margin-top: 1rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  h2 { font-size: 1.1rem; }
  table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
  th, td { text-align: left; vertical-align: top; padding: 0.5rem; border-bottom: 1px solid #e3e6ea; }
  th { background: #fafbfc; }
  form { margin: 0 0 0.5rem; }
  label { display: block; font-weight: 600; font-size: 0.85rem; }
  select, input { font: inherit; padding: 0.25rem; }
  textarea { width: 100%; min-width: 14rem; box-sizing: border-box; font: inherit; }
  button { font: inherit; padding: 0.3rem 0.9rem; border-radius: 4px; border: 1px solid #1677ff; background: #1677ff; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #b42318; border-color: #b42318; }
  button:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #f5a623; outline-offset: 1px; }
  .photo-check--warn { color: #8a4b00; font-weight: 600; }
  .notice { background: #e6f4ea; border: 1px solid #34a853; padding: 0.5rem 0.75rem; border-radius: 4px; }
  .error { color: #b42318; font-weight: 600; margin: 0.25rem 0; }
  .muted { color: #5f6b7a; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  code { font-size: 0.85rem; word-break: break-all; }
  header nav { margin-top: 0.35rem; font-size: 0.9rem; }
  header nav a { color: #fff; margin-right: 1rem; }
  header nav a[aria-current="page"] { font-weight: 700; }
  header form.account { margin: 0.35rem 0 0; font-size: 0.85rem; }
  button.link { background: none; border: 0; color: #fff; text-decoration: underline; padding: 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  img.photo { max-width: 20rem; max-height: 20rem; border: 1px solid #e3e6ea; border-radius: 4px; display: block; margin: 0.5rem 0; }
  img.thumb { max-width: 6rem; max-height: 6rem; border: 1px solid #e3e6ea; }
  ul.appeal-photos { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
  ul.appeal-photos li { max-width: 20rem; }
  article.spot { border-top: 1px solid #e3e6ea; padding-top: 0.5rem; margin-top: 0.5rem; }
  .status-APPROVED, .status-PASSED { color: #137333; font-weight: 600; }
  .status-REJECTED, .status-FAILED { color: #b42318; font-weight: 600; }
  .decisions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
  .decisions form { flex: 1 1 14rem; }
`)

/** A form sent with POST, carrying its token as the hidden field `_csrf` (the console's only way to write one). */
export function postForm(token: FormToken, action: string, content: SafeHtml, opts: { className?: string; novalidate?: boolean } = {}): SafeHtml {
  return html`<form method="post" action="${action}"${opts.className ? html` class="${opts.className}"` : ''}${opts.novalidate ? raw(' novalidate') : ''}><input type="hidden" name="_csrf" value="${token.csrf}">${content}</form>`
}

/** The navigation of the account: the sections its role may open, who is signed in, and the sign-out form. */
function navigation(viewer: Viewer, current: ConsoleSection | null): SafeHtml {
  const links = NAV_LINKS.filter((l) => canAny(viewer.account, l.needs))
  const who = `${viewer.account.name} · ${ROLE_LABELS[viewer.account.role]}`
  return html`<nav aria-label="Console sections">${links.map(
    (l) => html`<a href="${l.href}"${current === l.section ? raw(' aria-current="page"') : ''}>${l.label}</a>`,
  )}</nav>
${postForm(viewer, '/console/sign-out', html`<span>Signed in as ${who}</span> <button type="submit" class="link">Sign out</button>`, { className: 'account' })}`
}

export interface PageParts {
  title: string
  /** The account looking (null: nobody is signed in: the sign-in form, a signed-out message). */
  viewer: Viewer | null
  /** The section of the navigation the page belongs to (none marked when absent). */
  nav?: ConsoleSection | null
  body: SafeHtml
}

/** A whole console page: head, header with the viewer's navigation and account line, and the body. */
export function page({ title, viewer, nav = null, body }: PageParts): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>POSM Workspace · ISO platform console</h1>
  <p>Local stand-in for the ISO platform of the Alipay Global Merchant Portal.</p>
  ${viewer ? navigation(viewer, nav) : ''}
</header>
<main>
${body}
</main>
</body>
</html>
`.value
}

/** A short page for refusals (404, 409, 400...) with a way back. */
export function messagePage(viewer: Viewer | null, title: string, message: string): string {
  return page({
    title: `${title} · ISO platform console`,
    viewer,
    body: html`<section aria-labelledby="message-title">
  <h2 id="message-title">${title}</h2>
  <p>${message}</p>
  <p><a href="/console">Back to the console</a></p>
</section>`,
  })
}
