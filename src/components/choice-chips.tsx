import { Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import type { ErrorCode } from '../../packages/contract/errors'
import { ariaBool, pressable } from './a11y'
import { FieldError } from './field-error'

interface ChoiceChipsProps {
  id: string
  label: string
  options: Array<{ value: string; label: string }>
  selected: readonly string[]
  error: ErrorCode | null
  onToggle: (value: string) => void
  disabled?: boolean
  /** Several may be chosen (checkboxes); otherwise one (radio buttons). */
  multiple?: boolean
}

/**
 * A labelled group of choices shown as chips; one or several may be selected (the caller decides). For
 * assistive technology a radio group (or a group of checkboxes when `multiple`), each chip focusable.
 */
export const ChoiceChips = observer(function ChoiceChips({ id, label, options, selected, error, onToggle, disabled, multiple }: ChoiceChipsProps) {
  return (
    <View className={`field ${error ? 'field--error' : ''}`} id={id}>
      <Text className='field__label'>{label}</Text>
      <View
        className='chips'
        role={multiple ? 'group' : 'radiogroup'}
        ariaLabel={label}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {options.map((o) => {
          const on = selected.includes(o.value)
          const press = () => {
            if (!disabled) onToggle(o.value)
          }
          return (
            <View
              key={o.value}
              id={`${id}-${o.value}`}
              className={`chip ${on ? 'chip--on' : ''} ${disabled ? 'chip--disabled' : ''}`}
              role={multiple ? 'checkbox' : 'radio'}
              ariaLabel={o.label}
              aria-checked={ariaBool(on)}
              aria-disabled={disabled ? 'true' : undefined}
              {...pressable(press)}
              onClick={press}
            >
              <Text>{on ? `✓ ${o.label}` : o.label}</Text>
            </View>
          )
        })}
      </View>
      <FieldError id={`${id}-error`} code={error} />
    </View>
  )
})
