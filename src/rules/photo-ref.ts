import type { GeoPointInput } from '../../packages/contract/promotion'

/** A photo of a draft: a file kept on the device, or one already on the server (`server:<upload id>`). */
export interface PhotoRef {
  /** A kept file on the device (FilesPort.persist), or `server:<upload id>`. */
  localPath: string
  takenAt: string
  location: GeoPointInput | null
}

const SERVER = 'server:'

/** The path that names a photo already on the server. */
export const serverPhotoPath = (uploadId: string): string => `${SERVER}${uploadId}`

/** The upload id of a photo on the server; null for a file on the device. */
export function uploadIdOf(path: string): string | null {
  return path.startsWith(SERVER) ? path.slice(SERVER.length) : null
}
