import { createPublicKey, createVerify } from 'node:crypto'
import {
  contentToSign,
  isoTimeWithZone,
  parseSignatureHeader,
  parseTimeWithZone,
  signatureHeader,
  signContent,
  verifyContent,
} from '../../server/src/payments/signature'

/**
 * The Alipay+ API's signature (issue 25): a known 2048-bit key pair made for this test with OpenSSL, the exact
 * content string, and the signature OpenSSL made of it (`openssl dgst -sha256 -sign key content | base64`), so the
 * vector does not come from the code under test.
 */
const PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC/wfjz7dv5nCj7
g3gb7L9QttJaYmhifRAldAv1nuT2vHS5U36zPdjiOoQ5hApHsfoNq0J180uzdyCs
quiuYbI5V3Jj3Q9AZjk9BNumYEn3l1PguF64R64lxLQqf7bzItSEJweNFfr8EwMe
GDlYxd6LwkPCq+FHmoyXoEb8h9HPKZJvFb3lGpIJEftqrMKwRkQ/BLtXGjsLSeML
Jlf1mNCHHG9eA2kaIJ+ubJXi8wgIp/YHvs5qBJ4ez6ekSoFZNcSSfNpFNixcDZG8
bRlTVMpJFqu2ufvyIczwRRpnLni0qGXQubQkzunjY8w0ujZvWJCinamXpbh4rFd0
D83aY0I1AgMBAAECggEAGuBThdDdR4dxIQtkrrlIeUYehoeLbN5tgGpa8MKkAccZ
Lw56UCIHf3HHLY6JqFHUI81Qo9qFTjKQtFLCCQrtYWcVw9RselC5jglbxd5yD484
tOLyd66oRGfk/p3m5P4JPjqALvCZPHJnufSYOQ6Gqh0AxUy05wXM1cWjnWpl6DyD
yNiMq5glRnpVoIEfbFXUPBykRvV82hLsFXMCAQiyjt/d9GPBKMNyUFybdDUnkF/8
Szw2jENAOIyG0LfeEWFOHBidp+jIxbaW/DrnytwUm9C38qF1AQXq8EYtp0B2zqfx
gGwTSPK10Q7WwYGJpTcLnfGj5NaCN9hwwrchDHMvwwKBgQDhm85GNWqueEDctqzz
Yh+zZLWclelIZgXrfc6Z6Hxjs8VwIZZ1ohFYWVtDWFcpIEz2MpSVbwFj3sxhLHFx
42ZxGm12nO9oj9EQ2kktrW+WuzqxmUGh+s4aLyxXISwkF5PfIcxJTicjbnBbT1tk
qpEkkyBQlZpLKlUxcqPWjOxiGwKBgQDZls5NXJV1Nf/XUY4vjjd+snVY0as/KTVb
1P52THfHypAX74bB37D+AvqOyaJF9Mi7mcmlJQvTbeFDgdH8xDY1X0NxhZ8p2AsK
5pMfCG7sA8SoCsky1lEtVc7PzZDJVHGmPGS5HFvAnFAgvwNYhu4cQUlDXhaLqRg+
La6xg42x7wKBgAoPElFbDFifD/VHR8rKMzOiZ96FaJNLyTPIti9yiClB2Km5NaYl
BbT0tvb3t1skD4pikvFes6cqRd6HRr+XLfgY/4xsTthQoTepI94ff3wu+Nz2QlDg
h9PvCoEP/5HUY0ltjlguXdxcjjHkBeUlHbeNv8EYCnsTdhzwSZHFUrzFAoGAQXt0
DK4fQI4Gt7sQillHdDaqwBchbTmumDtqdRmgNp1Mbheku3XhYyBsXUprLphzTJoE
qFGU1IVN9K3+Dw7RrZBE0MZA1yvwbtBjWESGdTrRFS1hzY3YEkevnLQlraFfLoMg
YOEa78VbC+/QRvUcdZ5kOQT4zgEOja/b0gpgOzsCgYEAhRFvvBCosgmjMV6a1eLM
5jkwXia8NPVry4MjLv2Lc0UsUyTdz3haSO7XNMWSUrUCbgPVp8B93a/8DsO564mu
YFa8jBbegDp6YyGAJfQfugccgRUhxP8fIGSO3tsMQiF1sgYNg4mxGCWsEfEjlBIR
8gvYvoyxPm0o24Chxb6l+D4=
-----END PRIVATE KEY-----`

const PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAv8H48+3b+Zwo+4N4G+y/
ULbSWmJoYn0QJXQL9Z7k9rx0uVN+sz3Y4jqEOYQKR7H6DatCdfNLs3cgrKrormGy
OVdyY90PQGY5PQTbpmBJ95dT4LheuEeuJcS0Kn+28yLUhCcHjRX6/BMDHhg5WMXe
i8JDwqvhR5qMl6BG/IfRzymSbxW95RqSCRH7aqzCsEZEPwS7Vxo7C0njCyZX9ZjQ
hxxvXgNpGiCfrmyV4vMICKf2B77OagSeHs+npEqBWTXEknzaRTYsXA2RvG0ZU1TK
SRartrn78iHM8EUaZy54tKhl0Lm0JM7p42PMNLo2b1iQop2pl6W4eKxXdA/N2mNC
NQIDAQAB
-----END PUBLIC KEY-----`

const PATH = '/aps/api/v1/payments/inquiryPayment'
const CLIENT_ID = 'SANDBOX_5YC12345678901234'
const REQUEST_TIME = '2026-12-07T15:04:05+00:00'
const BODY = '{"paymentId":"20261207194010800100188120212345678"}'
const CONTENT = `POST /aps/api/v1/payments/inquiryPayment\nSANDBOX_5YC12345678901234.2026-12-07T15:04:05+00:00.{"paymentId":"20261207194010800100188120212345678"}`
const OPENSSL_SIGNATURE =
  'MGMkmBliUS6QGdncVED6d63Ww+VTfjAj55qj5PwPS58OdTw6LonlCuLY7EVWsbVT58B7w1kH2WWLEAC2Ygnu3oEEz4AbnMGxzsYTD27TAFHHCOVwzx4f0tdxFq6m+9LKK3c9PQOGCuuphp46siT3IqGOkQtrwHII0n1mpGXfseEMu5Qc8ybuzfBN8xwFwiXbmHc2ZU5bd3Z50qHggsrqvZwZ5eXp5k2g6N9vLNJBMYKBPeDH0am5R9f+l7DboWQPbNZLztDOBuTHbBrRVdHGO7GA8zV4+UXmSmnK6CJtg/NS9oL8nRzEj1MnckZRpyL6G2vBKqxgEuoo8XAUkzw8ow=='

describe('Alipay+ signature', () => {
  it('signs `POST <path>\\n<Client-Id>.<Request-Time>.<body>`, exactly', () => {
    expect(contentToSign('post', PATH, CLIENT_ID, REQUEST_TIME, BODY)).toBe(CONTENT)
  })

  it('makes the SHA256withRSA signature OpenSSL makes, which Node verifies with the public key', () => {
    const signature = signContent(CONTENT, PRIVATE_KEY)
    expect(signature).toBe(OPENSSL_SIGNATURE)
    expect(createVerify('RSA-SHA256').update(CONTENT).verify(createPublicKey(PUBLIC_KEY), signature, 'base64')).toBe(true)
    // one character of the content changed: the signature no longer fits
    expect(verifyContent(CONTENT.replace('15:04:05', '15:04:06'), signature, PUBLIC_KEY)).toBe(false)
    expect(verifyContent(CONTENT, signature, PUBLIC_KEY)).toBe(true)
  })

  it('writes the Signature header with the URL-encoded base64, and reads it back', () => {
    const header = signatureHeader(OPENSSL_SIGNATURE, '1')
    expect(header).toBe(`algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(OPENSSL_SIGNATURE)}`)
    expect(header.split('signature=')[1]).toMatch(/^[A-Za-z0-9%]+$/) // no raw +, / or = left
    expect(parseSignatureHeader(header)).toEqual({ algorithm: 'RSA256', keyVersion: '1', signature: OPENSSL_SIGNATURE })
    expect(parseSignatureHeader('algorithm=RSA256,keyVersion=1')).toBeNull()
    expect(parseSignatureHeader('garbage')).toBeNull()
    expect(parseSignatureHeader(undefined)).toBeNull()
  })

  it('stamps Request-Time in ISO 8601 with a time zone, and refuses one without', () => {
    expect(isoTimeWithZone(new Date('2026-12-07T15:04:05.678Z'))).toBe('2026-12-07T15:04:05+00:00')
    expect(parseTimeWithZone('2026-12-07T23:04:05+08:00')?.toISOString()).toBe('2026-12-07T15:04:05.000Z')
    expect(parseTimeWithZone('2026-12-07T15:04:05')).toBeNull()
    expect(parseTimeWithZone('yesterday')).toBeNull()
  })
})
