import type { AssociationStatus } from '../api'

/** Promotions and inspections open only to associated staff. */
export function featuresUnlocked(status: AssociationStatus): boolean {
  return status === 'associated'
}

/** Whether the staff member may send an association request through the ISO platform QR now. */
export function canRequestAssociation(status: AssociationStatus): boolean {
  return status === 'none' || status === 'rejected' || status === 'invited'
}

/** Whether "I have joined Alipay Partners" applies: the ISO approved, or invited through DingTalk. */
export function canConfirmJoin(status: AssociationStatus): boolean {
  return status === 'approved' || status === 'invited'
}

/** What the DingTalk link of an ISO's association QR code is made of. */
export interface AssociationQrTarget {
  /** The mini-app's MiniAppId (DingTalk developer console). */
  miniAppId: string
  /** The organisation and the app's AgentId: required by DingTalk for an internal app (type=2). */
  corpId?: string | null
  agentId?: string | null
  isoId: string
}

const DINGTALK_OPEN_MINI_APP = 'dingtalk://dingtalkclient/action/open_mini_app'
const ISO_ID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * The link an ISO's association QR code carries: DingTalk's scheme that opens a mini-program at a page (DingTalk
 * docs "小程序 scheme", 0468-scheme-of-mini-programs-1.md, and the AppLink "打开小程序" parameters of an internal
 * app, 1396-open-applet.md): `dingtalk://dingtalkclient/action/open_mini_app?type=2&miniAppId=…&corpId=…&agentId=…
 * &pVersion=1&packageType=1&page=pages%2Fassociate%2Findex%3Fiso%3D<id>` (the page and its query encoded once
 * more, as the documents ask). DingTalk's own scanner opens it; the page's onLoad receives `iso`.
 */
export function associationQrLink(t: AssociationQrTarget, page: string): string {
  const params: Array<[string, string]> = [
    ['type', '2'],
    ['miniAppId', t.miniAppId],
  ]
  if (t.corpId) params.push(['corpId', t.corpId])
  if (t.agentId) params.push(['agentId', t.agentId])
  params.push(['pVersion', '1'], ['packageType', '1'], ['page', `${page}?iso=${encodeURIComponent(t.isoId)}`])
  return `${DINGTALK_OPEN_MINI_APP}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`
}

/** The `iso` of a query string ("a=1&iso=x"), when it is an ISO id. */
function isoOfQuery(query: string): string | null {
  for (const part of query.split('&')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq) === 'iso') {
      let value: string
      try {
        value = decodeURIComponent(part.slice(eq + 1))
      } catch {
        return null
      }
      return ISO_ID.test(value) ? value : null
    }
  }
  return null
}

/**
 * The parsed content of an ISO's association QR code, or null when it is not one: the DingTalk link to the
 * association page (`associationQrLink`), or the first codes' `posm-workspace://associate?iso=<id>` (`prefix`).
 * isoId null: an association code that names no ISO.
 */
export function parseAssociationQr(text: string, prefix: string, page = 'pages/associate/index'): { isoId: string | null } | null {
  const trimmed = text.trim()
  if (trimmed.startsWith(`${DINGTALK_OPEN_MINI_APP}?`)) {
    const target = pageOf(trimmed)
    if (target === null) return null
    const path = target.split('?')[0].replace(/^\//, '')
    if (path !== page) return null
    const q = target.indexOf('?')
    return { isoId: q < 0 ? null : isoOfQuery(target.slice(q + 1)) }
  }
  return parseLegacy(trimmed, prefix)
}

/** The `page` parameter of a DingTalk link, decoded; null when absent or malformed. */
function pageOf(link: string): string | null {
  const query = link.slice(link.indexOf('?') + 1).replace(/#.*$/, '')
  for (const part of query.split('&')) {
    if (part.startsWith('page=')) {
      try {
        return decodeURIComponent(part.slice(5))
      } catch {
        return null
      }
    }
  }
  return null
}

function parseLegacy(trimmed: string, prefix: string): { isoId: string | null } | null {
  if (!trimmed.startsWith(prefix)) return null
  const rest = trimmed.slice(prefix.length)
  if (rest !== '' && !rest.startsWith('?')) return null
  const match = /[?&]iso=([A-Za-z0-9_-]{1,64})(?:&|$)/.exec(rest)
  return { isoId: match ? match[1] : null }
}
