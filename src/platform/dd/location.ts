import { DeviceError, type LocationPort } from '../types'
import { call, errorNumber, native, type DdFailure } from './native'

/**
 * dd.getLocation (0623-dd-getlocation.md, 0322-jsapi-get-location.md; `coordinate` as
 * 0833-obtain-current-geographic-location-information-single-positioning.md documents it: a Number, 0 =
 * standard WGS-84, 1 = AMap's GCJ-02). A fresh fix: `useCache: false` and a one-second `cacheTimeout`;
 * `type: 0` (coordinates only). The numbers arrive as strings. Errors: 11 (location permission off) →
 * LOCATION_PERMISSION, whose message says how to turn it on; 12 (network), 13 (failed), 14 (timeout) and
 * anything else → LOCATION_UNAVAILABLE. `isFromMock` is documented for Android in the H5 page only: read
 * when a client answers it, so `mocked` is true only when DingTalk reported a mock location.
 */
export function createDdLocation(): LocationPort {
  return {
    async getLocation() {
      let res
      try {
        res = await call(native().getLocation, { type: 0, coordinate: 0, useCache: false, cacheTimeout: 1, withReGeocode: false })
      } catch (e) {
        const err = e as DdFailure
        const message = `dd.getLocation error ${String(err?.error ?? '?')}: ${err?.errorMessage ?? ''}`
        throw new DeviceError(errorNumber(err) === 11 ? 'LOCATION_PERMISSION' : 'LOCATION_UNAVAILABLE', message)
      }
      const latitude = Number(res.latitude)
      const longitude = Number(res.longitude)
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) throw new DeviceError('LOCATION_UNAVAILABLE', 'no location fix')
      const accuracy = res.accuracy === undefined ? null : Number(res.accuracy)
      return { latitude, longitude, accuracy: Number.isFinite(accuracy) ? accuracy : null, mocked: res.isFromMock === true }
    },
  }
}
