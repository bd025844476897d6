/**
 * Next while a photo is still being kept: the button waits (shown busy) and a second tap does not move a
 * second step; once the wait is over, Next works again.
 */
import { act, fireEvent } from '@testing-library/react'
import { WizardBar } from '../../src/components/wizard-bar'
import { renderSignedIn } from './render'

describe('the wizard bar', () => {
  it('ignores taps on Next while the previous Next is still waiting, and shows it busy', async () => {
    let release!: () => void
    const onNext = jest.fn(() => new Promise<void>((resolve) => (release = resolve)))
    const { container } = await renderSignedIn(<WizardBar idPrefix='w' canGoBack={false} atSummary={false} onBack={jest.fn()} onNext={onNext} onSubmit={jest.fn()} />)
    const next = container.querySelector('#w-next') as HTMLElement
    fireEvent.click(next)
    fireEvent.click(next)
    expect(onNext).toHaveBeenCalledTimes(1)
    expect(next.getAttribute('aria-busy')).toBe('true')
    await act(async () => release())
    expect(next.getAttribute('aria-busy')).toBeNull()
    fireEvent.click(next)
    expect(onNext).toHaveBeenCalledTimes(2)
  })

  it('a Next that answers at once leaves the button as it was', async () => {
    const onNext = jest.fn()
    const { container } = await renderSignedIn(<WizardBar idPrefix='w' canGoBack={false} atSummary={false} onBack={jest.fn()} onNext={onNext} onSubmit={jest.fn()} />)
    const next = container.querySelector('#w-next') as HTMLElement
    fireEvent.click(next)
    fireEvent.click(next)
    expect(onNext).toHaveBeenCalledTimes(2)
    expect(next.getAttribute('aria-busy')).toBeNull()
  })
})
