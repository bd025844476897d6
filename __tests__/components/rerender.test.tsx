/**
 * One keystroke re-mockRenders only the field that changed, not the page: render counters on the form fields
 * (by id) and on the page itself (its page hook runs once per page render).
 */
import { act, fireEvent } from '@testing-library/react'
import { renderSignedIn } from './render'

const mockRenders = { page: 0, fields: {} as Record<string, number> }

jest.mock('../../src/components/use-page', () => {
  const actual = jest.requireActual('../../src/components/use-page')
  return {
    ...actual,
    usePage: (...args: never[]) => {
      mockRenders.page++
      return actual.usePage(...args)
    },
  }
})

jest.mock('../../src/components/form-field', () => {
  const actual = jest.requireActual('../../src/components/form-field')
  const Real = actual.FormField
  return {
    ...actual,
    FormField: (props: { id: string }) => {
      mockRenders.fields[props.id] = (mockRenders.fields[props.id] ?? 0) + 1
      return jest.requireActual('react').createElement(Real, props)
    },
  }
})

// imported after the mocks so that the page uses the counting versions
import AssociatePage from '../../src/pages/associate/index'

describe('re-mockRenders', () => {
  it('one keystroke in the association form re-mockRenders that field only', async () => {
    const { container } = await renderSignedIn(<AssociatePage />)
    expect(mockRenders.page).toBeGreaterThan(0)
    expect(mockRenders.fields.name).toBeGreaterThan(0)
    mockRenders.page = 0
    mockRenders.fields = {}
    await act(async () => {
      fireEvent(container.querySelector('#name')!, new CustomEvent('input', { detail: { value: 'A' }, bubbles: true }))
    })
    expect(mockRenders.fields).toEqual({ name: 1 })
    expect(mockRenders.page).toBe(0)
  })
})
