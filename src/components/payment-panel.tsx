import { Button, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { useEffect } from 'react'
import type { TestAccountView } from '../../packages/contract/api'
import { WALLETS, WALLET_NAMES, type PaymentMode, type PaymentTool, type Wallet } from '../../packages/contract/promotion'
import { PAYMENT_MODES, PAYMENT_TOOLS } from '../../packages/contract/rules/payment'
import { useStore } from '../stores/context'
import type { PaymentVerifier } from '../stores/payment-verifier'
import { ChoiceChips } from './choice-chips'
import { FormField } from './form-field'
import { PhotoField } from './photo-field'
import { asButton } from './a11y'
import { ErrorReference } from './error-reference'
import { passedLabelKey } from '../rules/payment-label'

interface PaymentPanelProps {
  verifier: PaymentVerifier
  wallets: readonly Wallet[]
  /** Verify-Then-Deploy asks for the wallets here (before the store information). */
  onToggleWallet?: (wallet: Wallet) => void
  walletsError?: string | null
}

const ModeCard = observer(function ModeCard({ verifier, mode }: { verifier: PaymentVerifier; mode: PaymentMode }) {
  const { i18n } = useStore()
  const t = i18n.t
  const record = verifier.record(mode)
  const errors = verifier.errors[mode]
  const result = record.result
  return (
    <View className='card' id={`pay-${mode}`}>
      <Text className='card__title'>{t(`payment.mode.${mode}`)}</Text>
      <FormField
        id={`pay-${mode}-reference`}
        label={t('payment.reference')}
        hint={t('payment.referenceHint')}
        value={record.reference}
        error={errors.reference ?? null}
        maxlength={40}
        onInput={(v) => verifier.setReference(mode, v)}
      />
      <PhotoField
        id={`pay-${mode}-photo`}
        label={t('payment.resultPhoto')}
        photo={record.photo}
        error={errors.photo ?? null}
        onTake={() => void verifier.takePhoto(mode, t('payment.resultPhoto'))}
      />
      {result ? (
        <View className={`banner ${result.status === 'PASSED' ? 'banner--ok' : 'banner--error'}`} id={`pay-${mode}-result`} role='status'>
          <Text>
            {result.status === 'PASSED'
              ? `✓ ${t(passedLabelKey(result))}`
              : t('payment.failed', { reason: t(`error.${result.reason ?? 'PAYMENT_NOT_FOUND'}`) })}
          </Text>
        </View>
      ) : null}
      {errors._ ? (
        <View className='banner banner--error' role='alert' id={`pay-${mode}-error`}>
          <Text>{t(`error.${errors._}`)}</Text>
          {errors._ === 'WRONG_PAYMENT_TOOL' && verifier.ruleTool ? <Text> {t(`payment.toolWhy.${verifier.ruleTool}`)}</Text> : null}
        </View>
      ) : null}
      {result?.status !== 'PASSED' ? (
        <Button {...asButton} id={`pay-${mode}-verify`} className='btn btn--primary' loading={verifier.busy[mode]} onClick={() => void verifier.verify(mode)}>
          {t('action.verify')}
        </Button>
      ) : null}
    </View>
  )
})

/**
 * The Alipay test account the ISO assigned: its email, and its password behind Show (asked of the server on the
 * tap, each reveal audited there) with Copy; "ask your ISO" when none is assigned or it has no password yet.
 */
const TestAccountCard = observer(function TestAccountCard({ account }: { account: TestAccountView | null }) {
  const { i18n, testAccount } = useStore()
  const t = i18n.t
  // the password is forgotten when the payment step closes
  useEffect(() => () => testAccount.hide(), [testAccount])
  if (!account) {
    return (
      <Text className='card__body' id='test-account'>
        ii. {t('payment.alipay.noAccount')}
      </Text>
    )
  }
  const secret = testAccount.secret
  return (
    <View id='test-account-card'>
      <Text className='card__body' id='test-account'>
        ii. {t('payment.alipay.step2', { account: secret?.email ?? account.email })}
      </Text>
      {account.passwordSet ? (
        <View>
          <Text className='card__body' id='test-account-password'>
            {t('payment.testAccount.password')}: {secret ? secret.password : '••••••••'}
          </Text>
          {secret ? (
            <View>
              <Button {...asButton} id='test-account-copy' className='btn btn--primary' onClick={() => void testAccount.copy()}>
                {t('payment.testAccount.copy')}
              </Button>
              <Button {...asButton} id='test-account-hide' className='btn btn--secondary' onClick={() => testAccount.hide()}>
                {t('payment.testAccount.hide')}
              </Button>
            </View>
          ) : (
            <Button {...asButton} id='test-account-show' className='btn btn--secondary' loading={testAccount.busy} onClick={() => void testAccount.reveal()}>
              {t('payment.testAccount.show')}
            </Button>
          )}
          {testAccount.copied ? (
            <View className={`banner ${testAccount.copied === 'ok' ? 'banner--ok' : 'banner--error'}`} id='test-account-copied' role='status'>
              <Text>{testAccount.copied === 'ok' ? t('payment.testAccount.copied') : t('payment.testAccount.copyFailed')}</Text>
            </View>
          ) : null}
          {testAccount.error ? (
            <View className='banner banner--error' id='test-account-error' role='alert'>
              <Text>{t(`error.${testAccount.error}`)}</Text>
              <ErrorReference requestId={testAccount.errorRequestId} />
            </View>
          ) : null}
        </View>
      ) : (
        <Text className='card__body' id='test-account-no-password'>
          {t('payment.testAccount.noPassword')}
        </Text>
      )}
    </View>
  )
})

/**
 * Verify the payment: the tool chosen (preselected from the ISO's rule for the store's wallets, with the reason;
 * the other tool said to be refused), its steps, and both modes with evidence.
 */
export const PaymentPanel = observer(function PaymentPanel({ verifier, wallets, onToggleWallet, walletsError }: PaymentPanelProps) {
  const { i18n, workspace } = useStore()
  const t = i18n.t
  const tool = verifier.tool
  const ruleTool = verifier.ruleTool
  const account = workspace.info?.testAccount ?? null
  return (
    <View id='payment-panel'>
      {onToggleWallet ? (
        <View>
          <Text className='card__body'>{t('payment.intro')}</Text>
          <ChoiceChips
            id='wallet'
            label={t('store.wallets')}
            options={WALLETS.map((w) => ({ value: w, label: w === 'OTHER' ? t('category.OTHER') : WALLET_NAMES[w] }))}
            selected={wallets}
            error={(walletsError as never) ?? null}
            onToggle={(w) => onToggleWallet(w as Wallet)}
            multiple
          />
        </View>
      ) : null}
      {tool && ruleTool ? (
        <View className='card' id='payment-tool'>
          <ChoiceChips
            id='payment-tool-choice'
            label={t('payment.toolChoice')}
            options={PAYMENT_TOOLS.map((value) => ({ value, label: t(`payment.tool.${value}`) }))}
            selected={[tool]}
            error={verifier.toolError}
            onToggle={(value) => verifier.chooseTool(value as PaymentTool)}
          />
          {/* the ISO's rule and its reason, whichever tool is chosen */}
          <Text className='card__body' id='payment-tool-why'>
            {t(`payment.toolWhy.${ruleTool}`)}
          </Text>
          {tool !== ruleTool ? (
            <View className='banner banner--error' id='payment-tool-other' role='status'>
              <Text>{t('payment.toolOther')}</Text>
            </View>
          ) : null}
          <Text className='card__title'>{t(`payment.tool.${tool}`)}</Text>
          {tool === 'ALIPAY' ? (
            <View>
              <Text className='card__body'>i. {t('payment.alipay.step1')}</Text>
              <TestAccountCard account={account} />
            </View>
          ) : (
            <View>
              <Text className='card__body'>i. {t('payment.linker.step1')}</Text>
              <Text className='card__body'>ii. {t('payment.linker.step2')}</Text>
            </View>
          )}
          <Text className='card__body'>iii. {t('payment.step3')}</Text>
        </View>
      ) : null}
      {tool ? PAYMENT_MODES.map((mode) => <ModeCard key={mode} verifier={verifier} mode={mode} />) : null}
    </View>
  )
})
