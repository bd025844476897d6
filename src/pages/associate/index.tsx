import '../../i18n/sections/associate'
import { Button, Text, View } from '@tarojs/components'
import { useLoad } from '@tarojs/taro'
import { observer } from 'mobx-react'
import { useEffect, useState } from 'react'
import { FormField } from '../../components/form-field'
import { SessionView } from '../../components/session-view'
import { StatusBadge } from '../../components/status-badge'
import { usePage } from '../../components/use-page'
import type { MessageKey } from '../../i18n'
import { ASSOCIATION_FIELDS, type AssociationField } from '../../stores/association-store'
import { useStore } from '../../stores/context'
import { ariaBool, asButton } from '../../components/a11y'
import { enablePhoneValidation } from '../../../packages/contract/rules/phone-check'
import { ErrorReference } from '../../components/error-reference'

// the form validates the phone number (libphonenumber-js loads with this subpackage)
enablePhoneValidation()

const FIELD_TEXT: Record<AssociationField, { label: MessageKey; hint: MessageKey; maxlength: number }> = {
  isoEmail: { label: 'field.isoEmail', hint: 'field.isoEmail.hint', maxlength: 254 },
  name: { label: 'field.name', hint: 'field.name.hint', maxlength: 64 },
  phone: { label: 'field.phone', hint: 'field.phone.hint', maxlength: 24 },
}

/** One field of the request, observing only its own value and error: a keystroke re-renders just it. */
const AssociationInput = observer(function AssociationInput({ field }: { field: AssociationField }) {
  const { i18n, association } = useStore()
  const text = FIELD_TEXT[field]
  return (
    <FormField
      id={field}
      label={i18n.t(text.label)}
      hint={i18n.t(text.hint)}
      value={association.values[field]}
      error={association.fieldError(field)}
      maxlength={text.maxlength}
      onInput={(v) => association.setField(field, v)}
      onBlur={() => association.touch(field)}
    />
  )
})

/**
 * Associate ISO, both ways of the specification: the DingTalk invitation, and the ISO Platform QR code
 * that opens this page (`?iso=<id>`) or is scanned from it, followed by the request form.
 */
export default observer(function AssociatePage() {
  usePage('title.associate')
  const { i18n, association, platform, session } = useStore()
  const t = i18n.t
  const state = association.state
  const request = state?.request
  const isoName = state?.iso?.name ?? request?.isoName ?? ''

  // opened by DingTalk's scanner from the ISO's QR poster: `?iso=<id>` fixes the ISO of the request
  const [openedIso, setOpenedIso] = useState<string | null>(null)
  useLoad((query: Record<string, string | undefined>) => {
    if (query?.iso) setOpenedIso(query.iso)
  })
  useEffect(() => {
    if (openedIso && session.signedIn) void association.markScanned(openedIso)
  }, [openedIso, session.signedIn, association])

  useEffect(() => {
    if (session.signedIn) void association.refresh()
  }, [session.signedIn, association])

  useEffect(() => {
    association.prefillFromRejected()
  }, [association, association.status])

  const submit = async () => {
    const ok = await association.submit()
    if (ok) platform.ui.toast(t('assoc.requestSent'), 'success')
  }

  const scan = async () => {
    await association.scanIsoQr({ title: t('scan.title'), placeholder: t('scan.placeholder'), confirm: t('action.confirm'), cancel: t('action.cancel') })
  }

  return (
    <View className='page' role='main'>
      <SessionView>
        <View className='page__body'>
          <View className='card' id='association-status'>
            <View className='card__row'>
              <Text className='card__title'>{t('assoc.statusTitle')}</Text>
              <StatusBadge status={association.status} />
            </View>
            {association.status === 'none' ? <Text className='card__body'>{t('assoc.none.body')}</Text> : null}
            {association.status === 'invited' ? <Text className='card__body'>{t('assoc.invited.body', { iso: isoName })}</Text> : null}
            {association.status === 'pending' ? <Text className='card__body'>{t('assoc.pending.body', { iso: isoName })}</Text> : null}
            {association.status === 'approved' ? <Text className='card__body'>{t('assoc.approved.body', { iso: isoName })}</Text> : null}
            {association.status === 'associated' ? <Text className='card__body'>{t('assoc.associated.body', { iso: isoName })}</Text> : null}
            {association.status === 'rejected' ? (
              <View>
                <Text className='card__body'>{t('assoc.rejected.body')}</Text>
                {request?.reason ? (
                  <Text className='card__body card__body--strong' id='rejection-reason'>
                    {t('assoc.rejected.reason', { reason: request.reason })}
                  </Text>
                ) : null}
                <Text className='card__body'>{t('assoc.rejected.retry')}</Text>
              </View>
            ) : null}
            {association.canJoin ? (
              <Button
                {...asButton}
                id='confirm-joined'
                className='btn btn--primary'
                loading={association.busy}
                onClick={() => void association.confirmJoined()}
              >
                {t('action.joinedAlipayPartners')}
              </Button>
            ) : null}
            {association.status === 'pending' ? (
              <Button {...asButton} id='refresh-association' className='btn btn--secondary' onClick={() => void association.refresh()}>
                {t('action.refresh')}
              </Button>
            ) : null}
            {!association.unlocked && association.status !== 'pending' ? (
              <View>
                <Text className='card__meta'>{t('assoc.checkAgain.hint')}</Text>
                <Button
                  {...asButton}
                  id='check-again'
                  className='btn btn--secondary'
                  loading={association.checking}
                  onClick={() => void association.checkAgain()}
                >
                  {t('action.checkAgain')}
                </Button>
              </View>
            ) : null}
          </View>

          {association.formError ? (
            <View className='banner banner--error' role='alert' id='form-error'>
              <Text>{t(`error.${association.formError}`)}</Text>
              <ErrorReference requestId={association.formErrorRequestId} />
            </View>
          ) : null}

          {association.status === 'pending' && request ? (
            <View className='card' id='submitted-details'>
              <Text className='card__title'>{t('assoc.submittedDetails')}</Text>
              <View className='kv'>
                <Text className='kv__key'>{t('field.isoEmail')}</Text>
                <Text className='kv__value'>{request.isoEmail}</Text>
              </View>
              <View className='kv'>
                <Text className='kv__key'>{t('field.name')}</Text>
                <Text className='kv__value'>{request.name}</Text>
              </View>
              <View className='kv'>
                <Text className='kv__key'>{t('field.phone')}</Text>
                <Text className='kv__value'>{request.phone}</Text>
              </View>
              <Text className='card__meta'>{t('assoc.submittedAt', { date: i18n.date(request.createdAt, 'LLL') })}</Text>
            </View>
          ) : null}

          {association.canRequest ? (
            <View>
              {association.status !== 'invited' ? (
                <View className='card'>
                  <Text className='card__title'>{t('assoc.way.dingtalk.title')}</Text>
                  <Text className='card__body'>{t('assoc.way.dingtalk.body')}</Text>
                </View>
              ) : null}
              <View className='card' id='association-form'>
                <Text className='card__title'>{t('assoc.way.qr.title')}</Text>
                <Text className='card__body'>{t('assoc.way.qr.body')}</Text>
                <Button {...asButton} id='scan-iso-qr' className='btn btn--secondary' onClick={() => void scan()}>
                  {t('action.scanIsoQr')}
                </Button>
                {association.scannedIso ? (
                  <Text className='card__body card__body--ok' id='scanned-iso'>
                    {t('assoc.qr.iso', { iso: association.scannedIso.name })}
                  </Text>
                ) : association.scanned ? (
                  <Text className='card__body card__body--ok'>{t('assoc.qrScanned')}</Text>
                ) : null}
                {association.scannedIso && association.fieldError('isoEmail') === 'ISO_EMAIL_MISMATCH' ? (
                  <View className='banner banner--error' role='alert' id='qr-mismatch'>
                    <Text>{t('assoc.qr.mismatch', { iso: association.scannedIso.name })}</Text>
                  </View>
                ) : null}
                <Text className='section-title'>{t('assoc.form.title')}</Text>
                {ASSOCIATION_FIELDS.map((field) => (
                  <AssociationInput key={field} field={field} />
                ))}
                <Button
                  {...asButton}
                  id='submit-association'
                  className={`btn btn--primary ${association.busy ? 'btn--disabled' : ''}`}
                  loading={association.busy}
                  disabled={association.busy || undefined}
                  aria-disabled={ariaBool(association.busy)}
                  onClick={() => void submit()}
                >
                  {association.busy ? t('action.submitting') : t('action.submit')}
                </Button>
              </View>
            </View>
          ) : null}
        </View>
      </SessionView>
    </View>
  )
})
