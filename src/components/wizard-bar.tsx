import { Button, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { useRef, useState } from 'react'
import { useStore } from '../stores/context'
import { asButton } from './a11y'

interface WizardBarProps {
  /** Prefix of the buttons' ids (`<prefix>-back`, `-next`, `-submit`). */
  idPrefix: string
  canGoBack: boolean
  atSummary: boolean
  onBack: () => void
  /** May answer a promise (Next waiting for a photo still being kept): the button waits with it. */
  onNext: () => void | Promise<unknown>
  onSubmit: () => void
}

/** The bar at the bottom of a wizard: Back, then Next (or Submit on the summary). */
export const WizardBar = observer(function WizardBar({ idPrefix, canGoBack, atSummary, onBack, onNext, onSubmit }: WizardBarProps) {
  const { i18n } = useStore()
  // a second tap while Next is still waiting would move two steps at once
  const waiting = useRef(false)
  const [busy, setBusy] = useState(false)
  const next = () => {
    if (waiting.current) return
    const result = onNext()
    if (!result) return
    waiting.current = true
    setBusy(true)
    const done = () => {
      waiting.current = false
      setBusy(false)
    }
    result.then(done, done)
  }
  return (
    <View className='wizard__bar'>
      {canGoBack ? (
        <Button {...asButton} id={`${idPrefix}-back`} className='btn btn--secondary wizard__btn' onClick={onBack}>
          {i18n.t('action.back')}
        </Button>
      ) : null}
      {atSummary ? (
        <Button {...asButton} id={`${idPrefix}-submit`} className='btn btn--primary wizard__btn' onClick={onSubmit}>
          {i18n.t('action.submit')}
        </Button>
      ) : (
        <Button
          {...asButton}
          id={`${idPrefix}-next`}
          className='btn btn--primary wizard__btn'
          loading={busy}
          aria-busy={busy ? 'true' : undefined}
          onClick={next}
        >
          {i18n.t('action.next')}
        </Button>
      )}
    </View>
  )
})

/** What the bar needs of a wizard (the wizard engine, src/stores/wizard-engine.ts). */
interface StepsOfWizard {
  stepIndex: number
  steps: readonly string[]
  back(): boolean
  advance(): Promise<boolean>
  submit(): boolean
}

/** The bar of a wizard made with the wizard engine: Back from the second step, Submit on the last one. */
export const WizardStepsBar = observer(function WizardStepsBar({ wizard, idPrefix }: { wizard: StepsOfWizard; idPrefix: string }) {
  return (
    <WizardBar
      idPrefix={idPrefix}
      canGoBack={wizard.stepIndex > 0}
      atSummary={wizard.stepIndex === wizard.steps.length - 1}
      onBack={() => wizard.back()}
      onNext={() => wizard.advance()}
      onSubmit={() => wizard.submit()}
    />
  )
})
