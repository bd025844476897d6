/** Review results rules: service-fee eligibility and the calendar dates of a results period. */
import { eligibility, type MissingApproval } from '../../packages/contract/rules/eligibility'
import { PERIODS, periodRange, type Period } from '../../packages/contract/rules/period'
import type { ReviewStatus } from '../../packages/contract/promotion'

describe('eligibility() of the service fee', () => {
  const cases: Array<[string, ReviewStatus, ReviewStatus[], MissingApproval[]]> = [
    ['store and every spot approved', 'APPROVED', ['APPROVED', 'APPROVED'], []],
    ['store and its only spot approved', 'APPROVED', ['APPROVED'], []],
    ['store pending', 'PENDING', ['APPROVED'], ['store']],
    ['store rejected', 'REJECTED', ['APPROVED', 'APPROVED'], ['store']],
    ['one spot pending', 'APPROVED', ['APPROVED', 'PENDING'], ['spots']],
    ['one spot rejected', 'APPROVED', ['REJECTED', 'APPROVED'], ['spots']],
    ['store and a spot rejected', 'REJECTED', ['APPROVED', 'REJECTED'], ['store', 'spots']],
    ['everything pending', 'PENDING', ['PENDING'], ['store', 'spots']],
    ['zero spots (store approved)', 'APPROVED', [], ['spots']],
    ['zero spots (store rejected)', 'REJECTED', [], ['store', 'spots']],
  ]

  it.each(cases)('%s', (_name, store, spots, missing) => {
    expect(eligibility(store, spots)).toEqual({ eligible: missing.length === 0, missing })
  })
})

describe('periodRange() of the results period', () => {
  const at = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h, 0, 0)
  const cases: Array<[string, Date, Period, string, string]> = [
    ['mid-month', at(2026, 11, 25), 'thisMonth', '2026-11-01', '2026-11-30'],
    ['mid-month', at(2026, 11, 25), 'lastMonth', '2026-10-01', '2026-10-31'],
    ['mid-month', at(2026, 11, 25), 'last3Months', '2026-09-01', '2026-11-30'],
    ['January (year boundary)', at(2026, 1, 15), 'thisMonth', '2026-01-01', '2026-01-31'],
    ['January (year boundary)', at(2026, 1, 15), 'lastMonth', '2025-12-01', '2025-12-31'],
    ['January (year boundary)', at(2026, 1, 15), 'last3Months', '2025-11-01', '2026-01-31'],
    ['February (year boundary)', at(2026, 2, 1), 'last3Months', '2025-12-01', '2026-02-28'],
    ['the first day of a month', at(2026, 3, 1, 0), 'thisMonth', '2026-03-01', '2026-03-31'],
    ['the first day of a month', at(2026, 3, 1, 0), 'lastMonth', '2026-02-01', '2026-02-28'],
    ['the 31st (longer than last month)', at(2026, 3, 31), 'thisMonth', '2026-03-01', '2026-03-31'],
    ['the 31st (longer than last month)', at(2026, 3, 31), 'lastMonth', '2026-02-01', '2026-02-28'],
    ['the 31st (longer than last month)', at(2026, 3, 31), 'last3Months', '2026-01-01', '2026-03-31'],
    ['the last minute of a year', new Date(2026, 11, 31, 23, 59, 59), 'thisMonth', '2026-12-01', '2026-12-31'],
    ['the last minute of a year', new Date(2026, 11, 31, 23, 59, 59), 'lastMonth', '2026-11-01', '2026-11-30'],
    ['leap year February', at(2028, 2, 10), 'thisMonth', '2028-02-01', '2028-02-29'],
    ['leap year February 29th', at(2028, 2, 29), 'last3Months', '2027-12-01', '2028-02-29'],
    ['leap year March 31st', at(2028, 3, 31), 'lastMonth', '2028-02-01', '2028-02-29'],
    ['leap year March 31st', at(2028, 3, 31), 'last3Months', '2028-01-01', '2028-03-31'],
    ['after a leap February', at(2028, 5, 31), 'last3Months', '2028-03-01', '2028-05-31'],
  ]

  it.each(cases)('%s: %p %s → %s..%s', (_name, today, period, from, to) => {
    expect(periodRange(period, today)).toEqual({ from, to })
  })

  it('every period is a well-formed inclusive range that ends no earlier than it starts', () => {
    for (const period of PERIODS) {
      const { from, to } = periodRange(period, at(2026, 6, 15))
      expect(from).toMatch(/^\d{4}-\d{2}-01$/)
      expect(to).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(from <= to).toBe(true)
    }
  })
})
