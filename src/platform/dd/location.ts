import type { LocationPort } from '../types'
import { call, native } from './native'

/** dd.getLocation caches for two minutes unless `useCache: false`; numbers may arrive as strings. */
export function createDdLocation(): LocationPort {
  return {
    async getLocation() {
      const res = await call(native().getLocation, { useCache: false, type: 0, coordinate: 'wgs84', withReGeocode: false })
      const latitude = Number(res.latitude)
      const longitude = Number(res.longitude)
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) throw new Error('no location fix')
      const accuracy = res.accuracy === undefined ? null : Number(res.accuracy)
      return { latitude, longitude, accuracy: Number.isFinite(accuracy) ? accuracy : null, mocked: res.isFromMock === true }
    },
  }
}
