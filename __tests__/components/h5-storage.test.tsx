/**
 * The browser preview's storage: localStorage in Taro's format, so data written by either reads back, and a
 * full storage reported as StorageQuotaError (the stores keep the draft in memory and say so).
 */
import { createH5Storage } from '../../src/platform/h5/storage'
import { StorageQuotaError } from '../../src/platform/types'

describe('H5 storage port', () => {
  beforeEach(() => localStorage.clear())
  afterEach(() => jest.restoreAllMocks())

  it('keeps values in Taro’s {"data": …} format and reads what Taro wrote', () => {
    const storage = createH5Storage()
    storage.set('posm.locale', 'th')
    expect(localStorage.getItem('posm.locale')).toBe('{"data":"th"}')
    localStorage.setItem('posm.session', JSON.stringify({ data: { token: 't', expiresAt: 'x', devStaffId: null } }))
    expect(storage.get('posm.session')).toEqual({ token: 't', expiresAt: 'x', devStaffId: null })
    expect(storage.get('posm.locale')).toBe('th')
  })

  it('answers null for a missing, foreign or unreadable value, and removes', () => {
    const storage = createH5Storage()
    expect(storage.get('nothing')).toBeNull()
    localStorage.setItem('foreign', '"plain"')
    expect(storage.get('foreign')).toBeNull()
    localStorage.setItem('broken', '{not json')
    expect(storage.get('broken')).toBeNull()
    storage.set('gone', 1)
    storage.remove('gone')
    expect(storage.get('gone')).toBeNull()
  })

  it('reports a full storage as StorageQuotaError and keeps what was saved', () => {
    const storage = createH5Storage()
    storage.set('posm.drafts', ['saved'])
    jest.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    })
    expect(() => storage.set('posm.drafts', ['saved', 'new'])).toThrow(StorageQuotaError)
    expect(storage.get('posm.drafts')).toEqual(['saved'])
  })
})
