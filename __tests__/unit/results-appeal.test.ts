/**
 * AppealStore: a written reason (checked with the shared AppealSchema) and optional photos, kept on the
 * device until sent, then sent through the outbox as ONE idempotent `appeal` item: photos first, then
 * `POST /api/promotions/<id>/appeals` with their upload ids.
 */
import { toJS } from 'mobx'
import { MAX_APPEAL_PHOTOS } from '../../src/stores/appeal-store'
import { DeviceError, TransportError } from '../../src/platform/types'
import { json } from '../helpers/fake-platform'
import { settle } from '../helpers/promotion'
import { PROMOTION_ID, rejectedDetail, requestedUrls, resultsRoot, type ResultsEnv } from '../helpers/results'

const REASON = 'The storefront photo was taken in the rain; the sign is readable.'
const appealPosts = (env: ResultsEnv) => env.server.log.filter((l) => l === 'POST /api/promotions/:id/appeals').length

describe('AppealStore: the reason is checked before anything is queued', () => {
  it('under 10 characters → APPEAL_TOO_SHORT, nothing queued or sent', async () => {
    const env = await resultsRoot()
    const { appeals, outbox } = env.root
    appeals.setReason(PROMOTION_ID, 'Too short')
    expect(appeals.submit(rejectedDetail())).toBe(false)
    expect(appeals.error(PROMOTION_ID, 'reason')).toBe('APPEAL_TOO_SHORT')
    expect(appeals.error(PROMOTION_ID, 'photos')).toBeNull()
    await settle()
    expect(outbox.items).toEqual([])
    expect(appealPosts(env)).toBe(0)
    // the typed text stays
    expect(appeals.form(PROMOTION_ID).reason).toBe('Too short')
  })

  it('surrounding spaces do not count towards the length', async () => {
    const env = await resultsRoot()
    env.root.appeals.setReason(PROMOTION_ID, '   short      ')
    expect(env.root.appeals.submit(rejectedDetail())).toBe(false)
    expect(env.root.appeals.error(PROMOTION_ID, 'reason')).toBe('APPEAL_TOO_SHORT')
  })

  it.each([
    ['empty', ''],
    ['only spaces', '      \n   '],
  ])('%s → REQUIRED, nothing queued', async (_name, reason) => {
    const env = await resultsRoot()
    const { appeals, outbox } = env.root
    appeals.setReason(PROMOTION_ID, reason)
    expect(appeals.submit(rejectedDetail())).toBe(false)
    expect(appeals.error(PROMOTION_ID, 'reason')).toBe('REQUIRED')
    expect(outbox.items).toEqual([])
  })

  it('an untouched form → REQUIRED', async () => {
    const env = await resultsRoot()
    expect(env.root.appeals.submit(rejectedDetail())).toBe(false)
    expect(env.root.appeals.error(PROMOTION_ID, 'reason')).toBe('REQUIRED')
    expect(env.root.outbox.items).toEqual([])
  })

  it('more than 500 characters → TEXT_TOO_LONG', async () => {
    const env = await resultsRoot()
    env.root.appeals.setReason(PROMOTION_ID, 'x'.repeat(501))
    expect(env.root.appeals.submit(rejectedDetail())).toBe(false)
    expect(env.root.appeals.error(PROMOTION_ID, 'reason')).toBe('TEXT_TOO_LONG')
  })

  it('editing the reason clears its error', async () => {
    const env = await resultsRoot()
    const { appeals } = env.root
    appeals.submit(rejectedDetail())
    expect(appeals.error(PROMOTION_ID, 'reason')).toBe('REQUIRED')
    appeals.setReason(PROMOTION_ID, 'A')
    expect(appeals.error(PROMOTION_ID, 'reason')).toBeNull()
  })
})

describe('AppealStore: a photo that cannot be kept', () => {
  it('is said at the photos at once (take it again), and no photo is added', async () => {
    const env = await resultsRoot()
    const { appeals } = env.root
    env.platform.files.persist.mockRejectedValueOnce(new DeviceError('PHOTO_NOT_SAVED'))
    await appeals.addPhoto(PROMOTION_ID, 'Appeal photo')
    expect(appeals.error(PROMOTION_ID, 'photos')).toBe('PHOTO_NOT_SAVED')
    expect(appeals.form(PROMOTION_ID).photos).toEqual([])
    await appeals.addPhoto(PROMOTION_ID, 'Appeal photo')
    expect(appeals.error(PROMOTION_ID, 'photos')).toBeNull()
    expect(appeals.form(PROMOTION_ID).photos).toHaveLength(1)
  })
})

describe('AppealStore: sending an appeal', () => {
  it('queues one `appeal` item, uploads its photos first, then posts their upload ids to /api/promotions/<id>/appeals', async () => {
    const env = await resultsRoot()
    const { appeals, outbox } = env.root
    appeals.setReason(PROMOTION_ID, `  ${REASON}  `)
    await appeals.addPhoto(PROMOTION_ID, 'Appeal photo')
    await appeals.addPhoto(PROMOTION_ID, 'Appeal photo')
    const clientId = appeals.form(PROMOTION_ID).clientId
    expect(appeals.form(PROMOTION_ID).photos.map((p) => p.localPath)).toEqual(['kept:p1.jpg', 'kept:p2.jpg'])

    env.root.outbox.online = false // look at the queued item first
    expect(appeals.submit(rejectedDetail())).toBe(true)
    expect(outbox.items).toHaveLength(1)
    expect(outbox.items[0]).toMatchObject({
      kind: 'appeal',
      targetId: PROMOTION_ID,
      clientId,
      status: 'pending',
      label: 'Kopi Corner',
      product: 'MARKETING_CODE',
    })
    expect(toJS(outbox.items[0].payload)).toEqual({ clientId, reason: REASON, photoIds: ['kept:p1.jpg', 'kept:p2.jpg'] })

    env.root.outbox.online = true
    env.root.outbox.retryAll()
    await settle()
    // (then the promotions list is refreshed)
    expect(env.server.log.filter((l) => l !== 'GET /api/promotions')).toEqual(['upload kept:p1.jpg', 'upload kept:p2.jpg', 'POST /api/promotions/:id/appeals'])
    expect(requestedUrls(env, '/api/promotions/')).toEqual([`/api/promotions/${PROMOTION_ID}/appeals`])
    expect(env.results.appealBodies).toEqual([{ clientId, reason: REASON, photoIds: ['u-1', 'u-2'] }])
    expect(outbox.items[0]).toMatchObject({ status: 'sent', lastError: null })
    expect(env.server.promotionBodies).toEqual([])
  })

  it('an appeal without photos posts an empty photo list; the results show the open appeal', async () => {
    const env = await resultsRoot()
    await env.root.results.loadList()
    env.root.appeals.setReason(PROMOTION_ID, REASON)
    expect(env.root.appeals.submit(rejectedDetail())).toBe(true)
    await settle()
    expect(env.upload).not.toHaveBeenCalled()
    expect(env.results.appealBodies).toEqual([{ clientId: expect.any(String), reason: REASON, photoIds: [] }])
    expect(toJS(env.root.results.details.get(PROMOTION_ID))).toMatchObject({ listStatus: 'APPEALED', appeals: [{ status: 'OPEN', reason: REASON }] })
    expect(env.root.results.items[0].listStatus).toBe('APPEALED')
  })

  it('at most MAX_APPEAL_PHOTOS photos are kept', async () => {
    const env = await resultsRoot()
    for (let i = 0; i < MAX_APPEAL_PHOTOS + 2; i++) await env.root.appeals.addPhoto(PROMOTION_ID, 'Appeal photo')
    expect(env.root.appeals.form(PROMOTION_ID).photos).toHaveLength(MAX_APPEAL_PHOTOS)
    env.root.appeals.removePhoto(PROMOTION_ID, 0)
    expect(env.root.appeals.form(PROMOTION_ID).photos.map((p) => p.localPath)).toEqual(['kept:p2.jpg', 'kept:p3.jpg', 'kept:p4.jpg', 'kept:p5.jpg'])
  })

  it('a double submit queues one item and posts once, with the clientId of the form', async () => {
    const env = await resultsRoot()
    const { appeals, outbox } = env.root
    appeals.setReason(PROMOTION_ID, REASON)
    const clientId = appeals.form(PROMOTION_ID).clientId
    appeals.submit(rejectedDetail())
    appeals.submit(rejectedDetail())
    await settle()
    appeals.submit(rejectedDetail())
    await settle()
    expect(outbox.items).toHaveLength(1)
    expect(outbox.items[0].clientId).toBe(clientId)
    expect(appealPosts(env)).toBe(1)
    expect(env.results.appealBodies.map((b) => b.clientId)).toEqual([clientId])
  })

  it('a retry after a network failure, and after a restart while pending, sends the same clientId without uploading again', async () => {
    const env = await resultsRoot({ backoff: () => 1000 })
    const { appeals } = env.root
    appeals.setReason(PROMOTION_ID, REASON)
    await appeals.addPhoto(PROMOTION_ID, 'Appeal photo')
    const clientId = appeals.form(PROMOTION_ID).clientId
    env.results.once('POST /api/promotions/:id/appeals', () => {
      throw new TransportError('network', 'offline')
    })
    env.results.once('POST /api/promotions/:id/appeals', () => json(503, { error: { code: 'SERVER', message: 'down' } }))
    appeals.submit(rejectedDetail())
    await settle()
    expect(env.root.outbox.items[0]).toMatchObject({ status: 'pending', lastError: 'NETWORK', attempts: 1 })
    env.clock.advance(1000)
    await env.clock.fireDue()
    expect(env.root.outbox.items[0]).toMatchObject({ status: 'pending', lastError: 'SERVER', attempts: 2 })

    // the app stops here and starts again with the same device storage
    // it goes again as soon as somebody is signed in
    const again = await resultsRoot({ storage: env.storage, clock: env.clock })
    await settle()
    expect(again.root.outbox.items).toHaveLength(1)
    expect(again.root.outbox.items[0]).toMatchObject({ kind: 'appeal', targetId: PROMOTION_ID, clientId })
    expect(again.root.outbox.items[0]).toMatchObject({ status: 'sent', lastError: null })
    expect(again.upload).not.toHaveBeenCalled() // the photo was uploaded before the restart
    expect(env.upload).toHaveBeenCalledTimes(1)
    expect([...env.results.appealBodies, ...again.results.appealBodies]).toEqual([
      { clientId, reason: REASON, photoIds: ['u-1'] },
      { clientId, reason: REASON, photoIds: ['u-1'] },
      { clientId, reason: REASON, photoIds: ['u-1'] },
    ])
  })

  it('the typed reason and photos survive a restart before sending, with the same clientId', async () => {
    const env = await resultsRoot()
    env.root.appeals.setReason(PROMOTION_ID, REASON)
    await env.root.appeals.addPhoto(PROMOTION_ID, 'Appeal photo')
    const before = env.root.appeals.form(PROMOTION_ID)
    const clientId = before.clientId

    const again = await resultsRoot({ storage: env.storage })
    const form = again.root.appeals.form(PROMOTION_ID)
    expect(form.reason).toBe(REASON)
    expect(form.clientId).toBe(clientId)
    expect(form.photos.map((p) => p.localPath)).toEqual(['kept:p1.jpg'])
    expect(again.root.outbox.items).toEqual([])

    expect(again.root.appeals.submit(rejectedDetail())).toBe(true)
    await settle()
    expect(again.results.appealBodies).toEqual([{ clientId, reason: REASON, photoIds: ['u-1'] }])
    // once sent, the form is gone from the device
    const third = await resultsRoot({ storage: env.storage })
    expect(third.root.appeals.form(PROMOTION_ID).reason).toBe('')
    expect(third.root.appeals.form(PROMOTION_ID).clientId).not.toBe(clientId)
  })

  it('a 409 APPEAL_OPEN answer: the item is refused with that reason and not retried', async () => {
    const env = await resultsRoot()
    env.results.once('POST /api/promotions/:id/appeals', () => json(409, { error: { code: 'APPEAL_OPEN', message: 'an appeal is open' } }))
    env.root.appeals.setReason(PROMOTION_ID, REASON)
    env.root.appeals.submit(rejectedDetail())
    await settle()
    expect(env.root.outbox.items[0]).toMatchObject({ kind: 'appeal', status: 'refused', lastError: 'APPEAL_OPEN', attempts: 1 })
    expect(env.root.outbox.pendingCount).toBe(0)
    expect(env.clock.armed()).toEqual([])

    env.root.outbox.retryAll()
    env.clock.advance(3_600_000)
    await env.clock.fireDue()
    expect(appealPosts(env)).toBe(1)
    expect(env.root.outbox.items[0]).toMatchObject({ status: 'refused', lastError: 'APPEAL_OPEN' })

    // nor after a restart
    const again = await resultsRoot({ storage: env.storage, clock: env.clock })
    again.root.outbox.retryAll()
    await settle()
    expect(appealPosts(again)).toBe(0)
    expect(again.root.outbox.items[0]).toMatchObject({ status: 'refused', lastError: 'APPEAL_OPEN' })
  })
})
