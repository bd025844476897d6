/**
 * Next while a photo is still being kept: the button waits (shown busy) and a second tap does not move a
 * second step; once the wait is over, Next works again.
 */
import { act, fireEvent } from '@testing-library/react'
import { WizardBar, WizardStepsBar } from '../../src/components/wizard-bar'
import { renderSignedIn } from './render'

describe('the wizard bar', () => {
  it('ignores taps on Next while the previous Next is still waiting, and shows it busy', async () => {
    let release!: () => void
    const onNext = jest.fn(() => new Promise<void>((resolve) => (release = resolve)))
    const { container } = await renderSignedIn(
      <WizardBar idPrefix='w' canGoBack={false} atSummary={false} onBack={jest.fn()} onNext={onNext} onSubmit={jest.fn()} />,
    )
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
    const { container } = await renderSignedIn(
      <WizardBar idPrefix='w' canGoBack={false} atSummary={false} onBack={jest.fn()} onNext={onNext} onSubmit={jest.fn()} />,
    )
    const next = container.querySelector('#w-next') as HTMLElement
    fireEvent.click(next)
    fireEvent.click(next)
    expect(onNext).toHaveBeenCalledTimes(2)
    expect(next.getAttribute('aria-busy')).toBeNull()
  })
})

describe('the bar of a wizard made with the engine', () => {
  const wizardAt = (stepIndex: number) => ({
    stepIndex,
    steps: ['store', 'spots', 'summary'],
    back: jest.fn(() => true),
    advance: jest.fn(async () => true),
    submit: jest.fn(() => true),
  })

  it('on the first step: Next only, which advances the wizard', async () => {
    const wizard = wizardAt(0)
    const { container } = await renderSignedIn(<WizardStepsBar wizard={wizard} idPrefix='w' />)
    expect(container.querySelector('#w-back')).toBeNull()
    expect(container.querySelector('#w-submit')).toBeNull()
    await act(async () => void fireEvent.click(container.querySelector('#w-next') as HTMLElement))
    expect(wizard.advance).toHaveBeenCalledTimes(1)
  })

  it('on the last step: Back and Submit, each handed to the wizard', async () => {
    const wizard = wizardAt(2)
    const { container } = await renderSignedIn(<WizardStepsBar wizard={wizard} idPrefix='w' />)
    expect(container.querySelector('#w-next')).toBeNull()
    fireEvent.click(container.querySelector('#w-back') as HTMLElement)
    fireEvent.click(container.querySelector('#w-submit') as HTMLElement)
    expect(wizard.back).toHaveBeenCalledTimes(1)
    expect(wizard.submit).toHaveBeenCalledTimes(1)
  })
})
