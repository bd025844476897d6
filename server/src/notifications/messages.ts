/**
 * The work notifications' texts: one action card per kind of event, in the staff member's working language
 * (src/i18n/sections/notify.ts), with a button that opens the page of the mini-program the event is about.
 */
import type { DeploymentMethod, Locale } from '../../../packages/contract/api'
import type { PaymentMode, ProductKind } from '../../../packages/contract/promotion'
import { formatDate, translate } from '../../../src/i18n'
// every section's messages in every language (the server renders texts of several sections)
import '../../../src/i18n/all'
import type { MessageKey } from '../../../src/i18n/locales'
import type { ActionCard } from '../dingtalk/port'

/** What happened, with what the card says about it (texts typed by people: the ISO's name, a store, a reason). */
export type NotificationEvent =
  | { kind: 'ASSOCIATION_APPROVED'; params: { iso: string } }
  | { kind: 'ASSOCIATION_REJECTED'; params: { iso: string; reason: string } }
  | { kind: 'PROMOTION_APPROVED' | 'PROMOTION_REJECTED'; params: { promotionId: string; store: string; product: ProductKind } }
  | { kind: 'APPEAL_ACCEPTED'; params: { promotionId: string; store: string } }
  | { kind: 'APPEAL_REJECTED'; params: { promotionId: string; store: string; reason: string } }
  | { kind: 'INSPECTION_ASSIGNED'; params: { taskId: string; store: string; address: string; dueDate: string } }
  // the deployment method's agreement, to console accounts (the ISO's reviewers, the region's coordinators)
  | { kind: 'METHOD_PROPOSED' | 'METHOD_AGREED'; params: { isoId: string; iso: string; method: DeploymentMethod } }
  | { kind: 'METHOD_DECLINED'; params: { isoId: string; iso: string; method: DeploymentMethod; reason: string } }
  // payment evidence checked by a reviewer (PAYMENT_VERIFICATION=manual): a promotion's (promotionId) or an inspection's (taskId)
  | { kind: 'PAYMENT_CONFIRMED'; params: { mode: PaymentMode; store: string; promotionId?: string; taskId?: string } }
  // next VERIFY_AGAIN: the promotion went back to payment verification, the staff member verifies that mode again
  | { kind: 'PAYMENT_REJECTED'; params: { mode: PaymentMode; store: string; reason: string; promotionId?: string; taskId?: string; next?: 'VERIFY_AGAIN' } }

export type NotificationKind = NotificationEvent['kind']

const TEXTS: Record<NotificationKind, { title: MessageKey; body: MessageKey }> = {
  ASSOCIATION_APPROVED: { title: 'notify.association.approved.title', body: 'notify.association.approved.body' },
  ASSOCIATION_REJECTED: { title: 'notify.association.rejected.title', body: 'notify.association.rejected.body' },
  PROMOTION_APPROVED: { title: 'notify.promotion.approved.title', body: 'notify.promotion.approved.body' },
  PROMOTION_REJECTED: { title: 'notify.promotion.rejected.title', body: 'notify.promotion.rejected.body' },
  APPEAL_ACCEPTED: { title: 'notify.appeal.accepted.title', body: 'notify.appeal.accepted.body' },
  APPEAL_REJECTED: { title: 'notify.appeal.rejected.title', body: 'notify.appeal.rejected.body' },
  INSPECTION_ASSIGNED: { title: 'notify.inspection.assigned.title', body: 'notify.inspection.assigned.body' },
  METHOD_PROPOSED: { title: 'notify.method.proposed.title', body: 'notify.method.proposed.body' },
  METHOD_AGREED: { title: 'notify.method.agreed.title', body: 'notify.method.agreed.body' },
  METHOD_DECLINED: { title: 'notify.method.declined.title', body: 'notify.method.declined.body' },
  PAYMENT_CONFIRMED: { title: 'notify.payment.confirmed.title', body: 'notify.payment.confirmed.body' },
  PAYMENT_REJECTED: { title: 'notify.payment.rejected.title', body: 'notify.payment.rejected.body' },
}

/** The console page of the agreement, where a card about it leads (CONSOLE_PUBLIC_URL + /console/method). */
export function methodPageUrl(consoleUrl: string | null, isoId: string): string {
  // without the console's public address, the card opens the mini-program's home: its text names the console page
  return consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/console/method#iso-${encodeURIComponent(isoId)}` : 'eapp://pages/index/index'
}

export const NOTIFICATION_KINDS = Object.keys(TEXTS) as NotificationKind[]

/**
 * Text typed by a person (a store's name, a reviewer's reason), shown as itself in DingTalk's markdown: on one
 * line, and with markdown's backslash escapes before the characters that would make a link, an image,
 * emphasis, code or HTML of it.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([\\`*_[\]<>#])/g, '\\$1')
}

/** The page of the mini-program the card's button opens (DingTalk's `eapp://<page>?<query>` link). */
function pageOf(event: NotificationEvent, consoleUrl: string | null): string {
  switch (event.kind) {
    case 'METHOD_PROPOSED':
    case 'METHOD_AGREED':
    case 'METHOD_DECLINED':
      return methodPageUrl(consoleUrl, event.params.isoId)
    case 'ASSOCIATION_APPROVED':
    case 'ASSOCIATION_REJECTED':
      return 'eapp://pages/associate/index'
    case 'INSPECTION_ASSIGNED':
      return `eapp://pages/inspection/task/index?id=${encodeURIComponent(event.params.taskId)}`
    case 'PAYMENT_REJECTED':
      // the next step is to verify the payment again: the card opens the page for it
      if (event.params.next === 'VERIFY_AGAIN' && event.params.promotionId)
        return `eapp://pages/promotion/verify/index?id=${encodeURIComponent(event.params.promotionId)}`
      return event.params.taskId
        ? `eapp://pages/inspection/task/index?id=${encodeURIComponent(event.params.taskId)}`
        : `eapp://pages/results/detail/index?id=${encodeURIComponent(event.params.promotionId ?? '')}`
    case 'PAYMENT_CONFIRMED':
      return event.params.taskId
        ? `eapp://pages/inspection/task/index?id=${encodeURIComponent(event.params.taskId)}`
        : `eapp://pages/results/detail/index?id=${encodeURIComponent(event.params.promotionId ?? '')}`
    default:
      return `eapp://pages/results/detail/index?id=${encodeURIComponent(event.params.promotionId)}`
  }
}

/**
 * The card for an event in a working language. The same event always gives the same card in one language:
 * DingTalk delivers one message of the same content to a member per day, so a card sent again after a lost
 * answer is not shown twice.
 */
export function renderCard(event: NotificationEvent, locale: Locale, consoleUrl: string | null = null): ActionCard {
  const texts = TEXTS[event.kind]
  const body: MessageKey = event.kind === 'PAYMENT_REJECTED' && event.params.next === 'VERIFY_AGAIN' ? 'notify.payment.rejected.verifyAgain' : texts.body
  const params: Record<string, string> = {}
  for (const [name, value] of Object.entries(event.params)) params[name] = escapeMarkdown(String(value))
  if (event.kind === 'PROMOTION_APPROVED' || event.kind === 'PROMOTION_REJECTED') {
    params.product = translate(locale, `product.${event.params.product}`)
  }
  if (event.kind === 'METHOD_PROPOSED' || event.kind === 'METHOD_AGREED' || event.kind === 'METHOD_DECLINED') {
    params.method = translate(locale, `method.${event.params.method}`)
  }
  if (event.kind === 'PAYMENT_CONFIRMED' || event.kind === 'PAYMENT_REJECTED') params.mode = translate(locale, `payment.mode.${event.params.mode}`)
  if (event.kind === 'INSPECTION_ASSIGNED') params.date = formatDate(locale, `${event.params.dueDate}T12:00:00`, 'LL')
  const title = translate(locale, texts.title)
  return {
    title,
    markdown: `### ${escapeMarkdown(title)}\n\n${translate(locale, body, params)}`,
    singleTitle: translate(locale, 'notify.open'),
    singleUrl: pageOf(event, consoleUrl),
  }
}
