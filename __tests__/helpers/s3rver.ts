/** A local S3-compatible server (s3rver, from npm) for the photo bucket's tests; loopback only. */
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'

// s3rver ships no types: the little of it used here
interface S3rverInstance {
  run(): Promise<AddressInfo>
  close(): Promise<void>
}
type S3rverClass = new (options: { address: string; port: number; silent: boolean; directory: string; configureBuckets?: { name: string }[] }) => S3rverInstance
const S3rver: S3rverClass = require('s3rver')

/** s3rver's fixed credentials. */
export const S3RVER_ACCESS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
export const S3RVER_BUCKET = 'posm-photos'

/** s3rver on a free loopback port with the bucket S3RVER_BUCKET, its data in a temporary folder. */
export async function startS3rver(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-s3rver-'))
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: S3RVER_BUCKET }] })
  const { port } = await server.run()
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close()
      fs.rmSync(directory, { recursive: true, force: true })
    },
  }
}
