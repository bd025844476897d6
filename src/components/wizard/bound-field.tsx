import { observer } from 'mobx-react'
import type { MessageKey } from '../../i18n'
import { useStore } from '../../stores/context'
import type { PromotionWizard } from '../../stores/wizard-store'
import { FormField } from '../form-field'

interface BoundFieldProps {
  wizard: PromotionWizard
  id: string
  label: MessageKey
  hint?: MessageKey
  /** The error path of the field (e.g. `store.name`). */
  path: string
  get: () => string
  set: (value: string) => void
  maxlength?: number
}

/** A wizard text field that observes only its own value and error: a keystroke re-renders just it. */
export const BoundField = observer(function BoundField({ wizard, id, label, hint, path, get, set, maxlength }: BoundFieldProps) {
  const { i18n } = useStore()
  return (
    <FormField
      id={id}
      label={i18n.t(label)}
      hint={hint ? i18n.t(hint) : undefined}
      value={get()}
      error={wizard.fieldError(path)}
      maxlength={maxlength}
      onInput={set}
    />
  )
})
