/**
 * The outbox within DingTalk's storage limits (one value at most 200 × 1024 characters as a string, 10 MB for
 * the mini-program: pages 0626-dd-setstorage.md and 0039-jsapi-set-storage.md): a day of queued work keeps every
 * key far below the limit, a write that fails is told (storageFull) and never silent, and the one-key outbox of
 * an earlier version is moved to a key per item without losing anything.
 */
import Taro from '@tarojs/taro'
import { createStorage, MAX_STORED_CHARS } from '../../src/platform/common/storage'
import { StorageQuotaError, TransportError } from '../../src/platform/types'
import type { PhotoRef } from '../../src/rules/photo-ref'
import type { PromotionCreate } from '../../packages/contract/promotion'
import { KEPT_SENT, LEGACY_OUTBOX_KEY, LEGACY_UPLOADS_KEY, OUTBOX_INDEX_KEY, outboxItemKey } from '../../src/stores/outbox-store'
import { memoryStorage } from '../helpers/fake-platform'
import { promotionRoot, settle } from '../helpers/promotion'

// the port's two calls into Taro, as Taro passes them on to dd (each test says what the device does)
jest.mock('@tarojs/taro', () => ({ __esModule: true, default: { setStorageSync: jest.fn(), getStorageSync: jest.fn(), removeStorageSync: jest.fn() } }))

const TOTAL_CHARS = 10 * 1024 * 1024

/** The test storage with DingTalk's two limits: a value over 200 × 1024 characters, or a total over 10 MB, is not stored. */
function dingTalkStorage() {
  const storage = memoryStorage()
  const realSet = storage.set.getMockImplementation() as (key: string, value: unknown) => void
  const sizes = new Map<string, number>()
  const largest = new Map<string, number>()
  storage.set.mockImplementation((key: string, value: unknown) => {
    const size = JSON.stringify(value).length
    const total = [...sizes].reduce((sum, [k, s]) => sum + (k === key ? 0 : s), 0) + size
    if (size > MAX_STORED_CHARS || total > TOTAL_CHARS) throw new StorageQuotaError(`${key}: ${size}`)
    sizes.set(key, size)
    largest.set(key, Math.max(largest.get(key) ?? 0, size))
    realSet(key, value)
  })
  storage.remove.mockImplementation((key: string) => {
    sizes.delete(key)
    storage.data.delete(key)
  })
  return Object.assign(storage, { largest })
}

// a path as DingTalk's file manager names a saved file (`dd.getFileSystemManager().saveFile` → savedFilePath)
const savedPath = (day: number, n: number) => `https://resource/apml${String(day).padStart(4, '0')}${String(n).padStart(2, '0')}9c0e4f1b7d2a6e8c3f5b1d9a7e.jpg`

/** One submission as a busy staff member makes it: a storefront and nine spots (ten photos), long texts. */
function submission(i: number): { payload: PromotionCreate; photos: PhotoRef[] } {
  const at = (n: number) => ({ latitude: 1.300123 + i / 1000, longitude: 103.800456 + n / 1000, accuracy: 12.5, mocked: false })
  const photos: PhotoRef[] = Array.from({ length: 10 }, (_, n) => ({
    localPath: savedPath(i, n),
    takenAt: `2026-12-07T${String(8 + (i % 10)).padStart(2, '0')}:${String(n * 5).padStart(2, '0')}:00.000Z`,
    location: at(n),
  }))
  const payload: PromotionCreate = {
    clientId: `c-${i}-${'x'.repeat(20)}`,
    product: 'MARKETING_CODE',
    store: {
      name: `Kopi Corner ${i} — Orchard Central Food Hall, unit #B1-${i}`,
      address: `${i} Orchard Road, #B1-${i} Orchard Central Food Hall, Singapore 238${String(i).padStart(3, '0')}, near the escalator by the taxi stand`,
      category: 'FOOD_BEVERAGE',
      wallets: ['ALIPAY', 'GCASH', 'ALIPAYHK'],
      managerConsent: true,
      openingTime: '08:00',
      closingTime: '22:00',
      location: at(0),
      storefrontPhotoId: photos[0].localPath,
    },
    spots: photos
      .slice(1)
      .map((p, n) => ({ position: 'CASHIER_COUNTER', photoId: p.localPath, marketingCode: `APMC${String(i * 100 + n).padStart(10, '0')}` })),
    merchant: {
      contactName: 'Tan Wei Ming',
      contactPhone: '+65 8123 4567',
      legalName: `Kopi Corner ${i} Pte. Ltd.`,
      acquirerMerchantId: `M-${100000 + i}`,
      notes: 'The manager asked for the code at both counters; the second counter opens only at lunch. '.repeat(3),
    },
    paymentVerificationIds: [],
  }
  return { payload, photos }
}

describe('the outbox within DingTalk’s storage limits', () => {
  it('a day of work (40 submissions of 10 photos each) waits with every key far below 200 × 1024 characters, survives a restart, then leaves storage when sent', async () => {
    const storage = dingTalkStorage()
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage })
    // the server is out of reach all day: every upload fails as the network does
    env.platform.uploader.upload.mockImplementation(async () => {
      throw new TransportError('network', 'no network')
    })
    for (let i = 0; i < 40; i++) {
      const { payload, photos } = submission(i)
      env.root.outbox.submit({ draftId: `d-${i}`, label: payload.store.name, product: 'MARKETING_CODE', payload, photos })
    }
    await settle()
    expect(env.root.outbox.pendingCount).toBe(40)
    expect(env.root.outbox.storageFull).toBe(false)

    const outboxKeys = [...storage.largest.keys()].filter((k) => k.startsWith('posm.outbox'))
    expect(outboxKeys).toHaveLength(41) // 40 items and their list
    const largest = Math.max(...[...storage.largest.values()])
    // far below the limit: a tenth of it at most, whatever else the day brings
    expect(largest).toBeLessThan(MAX_STORED_CHARS / 10)

    // the app is killed; the next start finds all 40 with their photos, and sends them once the network is back
    const again = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage })
    expect(again.root.outbox.waiting).toHaveLength(40)
    expect(again.root.outbox.waiting[39].photos).toHaveLength(10)
    await settle()
    expect(again.server.promotionBodies).toHaveLength(40)
    expect(again.root.outbox.pendingCount).toBe(0)
    // accepted submissions live on the server: only the latest KEPT_SENT stay on the device (a reopened wizard says "submitted")
    const kept = storage.data.get(OUTBOX_INDEX_KEY) as string[]
    expect(kept).toHaveLength(KEPT_SENT)
    expect([...storage.data.keys()].filter((k) => k.startsWith('posm.outbox.item.')).sort()).toEqual(kept.map(outboxItemKey).sort())
    expect(Math.max(...[...storage.largest.values()])).toBeLessThan(MAX_STORED_CHARS / 10)
  })

  it('an item that does not fit is told (storageFull), stays in memory and is still sent', async () => {
    const storage = dingTalkStorage()
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage })
    const realSet = storage.set.getMockImplementation() as (key: string, value: unknown) => void
    storage.set.mockImplementation((key: string, value: unknown) => {
      if (key.startsWith('posm.outbox.item.')) throw new StorageQuotaError('full')
      realSet(key, value)
    })
    const { payload, photos } = submission(1)
    env.root.outbox.submit({ draftId: 'd-1', label: 'Kopi', product: 'MARKETING_CODE', payload, photos })
    expect(env.root.outbox.storageFull).toBe(true)
    await settle()
    expect(env.server.promotionBodies).toHaveLength(1)
  })

  it('moves the one-key outbox of an earlier version to a key per item, with the upload ids already known', async () => {
    const storage = dingTalkStorage()
    const first = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage })
    first.platform.uploader.upload.mockImplementation(async () => {
      throw new TransportError('network', 'no network')
    })
    const a = submission(1)
    const b = submission(2)
    first.root.outbox.submit({ draftId: 'd-1', label: 'A', product: 'MARKETING_CODE', payload: a.payload, photos: a.photos })
    first.root.outbox.submit({ draftId: 'd-2', label: 'B', product: 'MARKETING_CODE', payload: b.payload, photos: b.photos })
    await settle()
    // what an earlier version left: every item in one key, the upload ids in another
    const items = first.root.outbox.items.map((i) => JSON.parse(JSON.stringify(i)) as unknown)
    for (const key of [...storage.data.keys()]) if (key.startsWith('posm.outbox')) storage.data.delete(key)
    storage.data.set(LEGACY_OUTBOX_KEY, items)
    storage.data.set(LEGACY_UPLOADS_KEY, { [a.photos[0].localPath]: 'u-earlier' })

    const again = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage })
    expect(again.root.outbox.waiting.map((i) => i.label)).toEqual(['A', 'B'])
    expect(storage.data.has(LEGACY_OUTBOX_KEY)).toBe(false)
    expect(storage.data.has(LEGACY_UPLOADS_KEY)).toBe(false)
    expect((storage.data.get(OUTBOX_INDEX_KEY) as string[]).map((id) => storage.data.has(outboxItemKey(id)))).toEqual([true, true])
    await settle()
    // the storefront of A was on the server already: it is not sent again
    expect(again.server.uploads.map((u) => u.filePath)).not.toContain(a.photos[0].localPath)
    expect(again.server.promotionBodies.map((p) => p.store.storefrontPhotoId)).toContain('u-earlier')
    expect(again.server.promotionBodies).toHaveLength(2)
  })
})

describe('the DingTalk storage port never fails silently', () => {
  const taro = Taro as unknown as { setStorageSync: unknown; getStorageSync: unknown }

  /** setStorageSync and getStorageSync as Taro passes them to dd (`{ key, data }`, answering `{ data }`), with `store` deciding what is kept. */
  function device(store: (key: string, value: unknown) => unknown) {
    const data = new Map<string, unknown>()
    taro.setStorageSync = jest.fn((key: string, value: unknown) => store(key, value) ?? (data.set(key, JSON.parse(JSON.stringify(value))), undefined))
    taro.getStorageSync = jest.fn((key: string) => (data.has(key) ? data.get(key) : ''))
    return data
  }

  it('stores and reads back a value', () => {
    device(() => undefined)
    const storage = createStorage()
    storage.set('k', { a: 1 })
    expect(storage.get('k')).toEqual({ a: 1 })
  })

  it('refuses a value over 200 × 1024 characters before DingTalk sees it', () => {
    const data = device(() => undefined)
    expect(() => createStorage().set('big', 'x'.repeat(MAX_STORED_CHARS))).toThrow(StorageQuotaError)
    expect(data.has('big')).toBe(false)
  })

  it('an error answer ({ error }) is a failure', () => {
    device(() => ({ error: 15, errorMessage: 'storage limit' }))
    expect(() => createStorage().set('k', 1)).toThrow(StorageQuotaError)
  })

  it('a write that DingTalk dropped without a word is found by reading it back', () => {
    device(() => ({ success: true }))
    expect(() => createStorage().set('k', 1)).toThrow(StorageQuotaError)
  })

  it('any thrown error is a failure the stores tell, not only one that says "quota"', () => {
    device(() => {
      throw new Error('setStorageSync:fail')
    })
    expect(() => createStorage().set('k', 1)).toThrow(StorageQuotaError)
  })
})
