import { Input, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import type { ErrorCode } from '../../packages/contract/errors'
import { FieldError } from './field-error'

interface FormFieldProps {
  id: string
  label: string
  hint?: string
  value: string
  error: ErrorCode | null
  type?: 'text' | 'number' | 'idcard' | 'digit'
  maxlength?: number
  onInput: (value: string) => void
  onBlur?: () => void
}

/** A labelled input with its hint and, on bad input, the error in the working language. */
export const FormField = observer(function FormField(props: FormFieldProps) {
  const { id, label, hint, value, error, type = 'text', maxlength = 140, onInput, onBlur } = props
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <View className={`field ${error ? 'field--error' : ''}`} id={`${id}-field`}>
      <Text className='field__label' id={`${id}-label`}>
        {label}
      </Text>
      <Input
        id={id}
        className='field__input'
        type={type}
        value={value}
        maxlength={maxlength}
        ariaLabel={label}
        nativeProps={{ 'aria-label': label, 'aria-describedby': describedBy || undefined, 'aria-invalid': error ? 'true' : undefined }}
        onInput={(e) => onInput(e.detail.value)}
        onBlur={() => onBlur?.()}
      />
      {hint ? (
        <Text className='field__hint' id={`${id}-hint`}>
          {hint}
        </Text>
      ) : null}
      <FieldError id={`${id}-error`} code={error} />
    </View>
  )
})
