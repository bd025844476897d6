import type { LocationPort } from '../types'

export function createH5Location(): LocationPort {
  return {
    getLocation() {
      return new Promise((resolve, reject) => {
        if (!navigator.geolocation) return reject(new Error('no geolocation'))
        navigator.geolocation.getCurrentPosition(
          (pos) => resolve({ latitude: pos.coords.latitude, longitude: pos.coords.longitude, accuracy: pos.coords.accuracy ?? null, mocked: false }),
          (err) => reject(new Error(err.message)),
          { enableHighAccuracy: true, maximumAge: 0, timeout: 15000 },
        )
      })
    },
  }
}
