import { Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import type { ErrorCode } from '../../types/errors'
import { FieldError } from './field-error'

interface ChoiceChipsProps {
  id: string
  label: string
  options: Array<{ value: string; label: string }>
  selected: readonly string[]
  error: ErrorCode | null
  onToggle: (value: string) => void
  disabled?: boolean
}

/** A labelled group of choices shown as chips; one or several may be selected (the caller decides). */
export const ChoiceChips = observer(function ChoiceChips({ id, label, options, selected, error, onToggle, disabled }: ChoiceChipsProps) {
  return (
    <View className={`field ${error ? 'field--error' : ''}`} id={id}>
      <Text className='field__label'>{label}</Text>
      <View className='chips' role='group' ariaLabel={label}>
        {options.map((o) => {
          const on = selected.includes(o.value)
          return (
            <View
              key={o.value}
              id={`${id}-${o.value}`}
              className={`chip ${on ? 'chip--on' : ''} ${disabled ? 'chip--disabled' : ''}`}
              role='checkbox'
              ariaLabel={o.label}
              onClick={() => {
                if (!disabled) onToggle(o.value)
              }}
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
