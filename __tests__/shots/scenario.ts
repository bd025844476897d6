/**
 * The states pictured on both builds, reached by the same actions (see drivers.ts): the ones the compiled
 * build's VM tests reach: the product list not associated and associated, the association form (with its
 * errors, then pending), the Language page in English, Thai and Japanese, Me, each step of a
 * Verify-Then-Deploy Marketing Code promotion to Pending review, Drafts and submissions, Results, a
 * rejected promotion's detail and its appeal, Verification Tasks and each step of a spot inspection.
 */
import { code, ref } from '../e2e/flows'
import type { Driver } from './drivers'

export interface State {
  /** File name of the pictures: `NN-name`. */
  name: string
  title: string
  /** Whether the page shows the bottom navigation. */
  nav: boolean
}

export const STATES: State[] = [
  { name: '01-home-not-associated', title: 'Product list, not associated (Aisyah)', nav: true },
  { name: '02-associate-errors', title: 'Associate ISO: bad input refused', nav: false },
  { name: '03-associate-pending', title: 'Associate ISO: request pending', nav: false },
  { name: '04-language-en', title: 'Working language: English', nav: true },
  { name: '05-language-th', title: 'Working language: Thai', nav: true },
  { name: '06-language-ja', title: 'Working language: Japanese', nav: true },
  { name: '07-me', title: 'Me (Aisyah)', nav: true },
  { name: '08-home-associated', title: 'Product list, associated (Chen Wei)', nav: true },
  { name: '09-wizard-payment', title: 'Promotion wizard: verify the payment', nav: false },
  { name: '10-wizard-payment-verified', title: 'Promotion wizard: payment verified', nav: false },
  { name: '11-wizard-store', title: 'Promotion wizard: store information', nav: false },
  { name: '12-wizard-spots', title: 'Promotion wizard: deployment spots', nav: false },
  { name: '13-wizard-merchant', title: 'Promotion wizard: merchant information', nav: false },
  { name: '14-wizard-summary', title: 'Promotion wizard: summary', nav: false },
  { name: '15-wizard-submitted', title: 'Promotion wizard: submitted, Pending review', nav: false },
  { name: '16-drafts', title: 'Drafts and submissions', nav: true },
  { name: '17-results', title: 'Results', nav: true },
  { name: '18-detail-rejected', title: 'Promotion detail: rejected with the reviewer’s reason', nav: false },
  { name: '19-appeal', title: 'Appeal', nav: false },
  { name: '20-inspection-tasks', title: 'Verification Tasks', nav: false },
  { name: '21-inspection-store', title: 'Spot inspection: the store', nav: false },
  { name: '22-inspection-spots', title: 'Spot inspection: the spots', nav: false },
  { name: '23-inspection-payment', title: 'Spot inspection: the payment', nav: false },
  { name: '24-inspection-summary', title: 'Spot inspection: summary', nav: false },
  { name: '25-inspection-submitted', title: 'Spot inspection: submitted', nav: false },
]

/** Walks every state in order, calling `capture` in each. */
export async function walk(d: Driver, capture: (state: State) => Promise<void>) {
  const at = async (name: string) => {
    const state = STATES.find((s) => s.name === name)
    if (!state) throw new Error(`no state ${name}`)
    await capture(state)
  }

  // Aisyah Rahman has no ISO yet
  await d.signIn('staff-aisyah')
  await at('01-home-not-associated')

  await d.tap('open-association')
  await d.waitFor('submit-association')
  await d.type('isoEmail', 'ops@')
  await d.type('phone', '81234567')
  await d.tap('submit-association')
  await d.waitText('Enter a valid email address')
  await at('02-associate-errors')

  await d.type('isoEmail', 'ops@lioncitypay.example')
  await d.type('name', 'Aisyah Rahman')
  await d.type('phone', '+65 8123 4567')
  await d.tap('submit-association')
  await d.waitText('Your request to Lion City Payments Pte. Ltd. is pending.')
  await at('03-associate-pending')

  // the bottom-center item: the working language
  await d.signIn('staff-aisyah')
  await d.tap('nav-language')
  await d.waitFor('lang-th')
  await at('04-language-en')
  await d.tap('lang-th')
  await d.waitText('ภาษาไทย')
  await d.waitFor('nav-me')
  await d.waitText('ฉัน')
  await at('05-language-th')
  await d.tap('lang-ja')
  await d.waitText('ホーム')
  await at('06-language-ja')
  await d.tap('lang-en')
  await d.waitText('Home')
  await d.tap('nav-me')
  await d.waitFor('sign-out')
  await at('07-me')

  // Chen Wei: Lion City Payments, Verify-Then-Deploy
  await d.signIn('staff-chen')
  await d.waitFor('open-drafts')
  await at('08-home-associated')

  await d.tap('start-marketing-code')
  await d.waitFor('wizard-progress')
  await d.waitText('Verify-Then-Deploy')
  await at('09-wizard-payment')
  await d.tap('wallet-ALIPAY')
  await d.waitFor('payment-tool')
  for (const [mode, reference, photo] of [
    ['MPM', ref(101), 1101],
    ['UPM', ref(102), 1102],
  ] as const) {
    await d.type(`pay-${mode}-reference`, reference)
    await d.photo(`pay-${mode}-photo`, photo)
    await d.tap(`pay-${mode}-verify`)
    await d.waitFor(`pay-${mode}-result`)
  }
  await at('10-wizard-payment-verified')

  await d.tap('wizard-next')
  await d.waitFor('step-store')
  await d.type('store-name', 'Kopi Lim')
  await d.type('store-address', '12 Orchard Road, #01-02, Singapore 238826')
  await d.tap('category-FOOD_BEVERAGE')
  await d.type('store-openingTime', '00:00')
  await d.type('store-closingTime', '24:00')
  await d.tap('consent')
  await d.waitFor('location-value')
  await d.photo('storefront-photo', 1103)
  await at('11-wizard-store')

  await d.tap('wizard-next')
  await d.waitFor('step-spots')
  await d.tap('spot-0-position-CASHIER_COUNTER')
  await d.photo('spot-0-photo', 1104)
  await d.scan('spot-0-scan', code(9001))
  await d.waitText('APMC0000009001')
  await at('12-wizard-spots')

  await d.tap('wizard-next')
  await d.waitFor('step-merchant')
  await d.type('merchant-contactName', 'Tan Mei Ling')
  await d.type('merchant-contactPhone', '+65 9123 4567')
  await d.type('merchant-legalName', 'Kopi Lim Pte. Ltd.')
  await d.type('merchant-acquirerMerchantId', 'ACQ-7788-01')
  await at('13-wizard-merchant')

  await d.tap('wizard-next')
  await d.waitFor('step-summary')
  await at('14-wizard-summary')

  await d.tap('wizard-submit')
  await d.waitText('Pending review', 20000)
  await at('15-wizard-submitted')

  await d.tap('to-drafts')
  await d.waitFor('nav-results')
  await d.waitText('Kopi Lim')
  await at('16-drafts')

  // the reviewer rejects the store, approves the spot
  const promotion = (await d.promotions()).find((p) => p.store.name === 'Kopi Lim')
  if (!promotion) throw new Error('the submitted promotion is not on the server')
  await d.review(`${promotion.id}/store/reject`, { reason: 'The storefront photo is blurry.' })
  await d.review(`${promotion.id}/spots/0/approve`)

  await d.tap('nav-results')
  await d.waitFor(`result-${promotion.id}`)
  await d.waitText('Rejected')
  await at('17-results')

  await d.tap(`result-${promotion.id}`)
  await d.waitFor('detail-appeal')
  await d.waitText('The storefront photo is blurry.')
  await at('18-detail-rejected')

  await d.tap('detail-appeal')
  await d.waitFor('appeal-reason')
  await d.type('appeal-reason', 'The photo was taken in the rain; the storefront and its name are visible.')
  await at('19-appeal')

  // Spot Inspection → Verification Tasks: one task with one spot
  await d.signIn('staff-chen')
  await d.tap('start-spot-inspection')
  await d.waitText('Spots to inspect: 1')
  await at('20-inspection-tasks')
  await d.tapWhere('task-', 'Spots to inspect: 1')
  await d.waitFor('inspect-store')
  await at('21-inspection-store')
  await d.tap('check-open-yes')
  await d.tap('check-sameStore-yes')
  await d.photo('inspect-storefront', 1201)
  await d.waitFor('inspect-distance')
  await d.tap('inspect-next')
  await d.waitFor('inspect-spots')
  await d.tap('inspect-spot-0-condition-PRESENT')
  await d.photo('inspect-spot-0-photo', 1202)
  await d.scan('inspect-spot-0-scan', code(1))
  await d.waitFor('inspect-spot-0-match')
  await at('22-inspection-spots')
  await d.tap('inspect-next')
  await d.waitFor('inspect-payment')
  for (const [mode, reference, photo] of [
    ['MPM', ref(201), 1203],
    ['UPM', ref(202), 1204],
  ] as const) {
    await d.type(`pay-${mode}-reference`, reference)
    await d.photo(`pay-${mode}-photo`, photo)
    await d.tap(`pay-${mode}-verify`)
    await d.waitFor(`pay-${mode}-result`)
  }
  await at('23-inspection-payment')
  await d.tap('inspect-next')
  await d.waitFor('inspect-summary')
  await at('24-inspection-summary')
  await d.tap('inspect-submit')
  await d.waitFor('inspect-outcome', 20000)
  await d.waitText('Submitted', 20000)
  await at('25-inspection-submitted')
}
