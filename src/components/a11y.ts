/**
 * What a Taro View needs to be a control for assistive technology in the browser preview: reachable with
 * the keyboard, and activated by Enter or Space like a native control (a tap or a screen reader's
 * activation is still the `onClick` of the View). DingTalk's templates ignore both.
 */
export function pressable(onPress: () => void) {
  return {
    tabIndex: 0,
    onKeyDown: (e: { key?: string; preventDefault?: () => void }) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault?.()
        onPress()
      }
    },
  }
}

/** `aria-checked` / `aria-disabled` take strings ("true"/"false"): Taro sets only string props as attributes. */
export const ariaBool = (value: boolean): 'true' | 'false' => (value ? 'true' : 'false')

/**
 * Taro's H5 Button is a custom element that browsers do not expose as a button: give it the role
 * (spread, as Taro's Button types do not list `role`, which DingTalk also reads).
 */
export const asButton: { role: string } = { role: 'button' }
