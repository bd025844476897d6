import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PNG } from 'pngjs'
import { photoStoreFromEnv, s3OptionsFromEnv } from '../../server/src/storage/config'
import { createFolderStore } from '../../server/src/storage/folder'
import { PhotoNameError, type PhotoStore } from '../../server/src/storage/port'
import { createS3Store } from '../../server/src/storage/s3'
import { S3RVER_ACCESS, S3RVER_BUCKET, startS3rver } from '../helpers/s3rver'

/** A real PNG (pngjs), its pixels depending on `seed`. */
function pngBytes(seed: number, size = 48): Buffer {
  const image = new PNG({ width: size, height: size })
  for (let i = 0; i < image.data.length; i += 4) {
    image.data[i] = (i * 7 + seed) & 0xff
    image.data[i + 1] = (i >> 3) & 0xff
    image.data[i + 2] = (seed * 31) & 0xff
    image.data[i + 3] = 0xff
  }
  return PNG.sync.write(image)
}

const ACCESS = S3RVER_ACCESS
const BUCKET = S3RVER_BUCKET

interface StoreFixture {
  store: PhotoStore
  teardown(): Promise<void>
}

const BAD_NAMES = [
  '',
  '.',
  '..',
  '../x.png',
  '..\\x.png',
  'a/b.png',
  'a\\b.png',
  '/etc/passwd',
  '.hidden.png',
  'x\0.png',
  'line\n.png',
  'sp ace.png',
  'x'.repeat(201),
]
const NAME = '0123456789abcdef0123456789abcdef.png'

describe.each([
  {
    kind: 'folder',
    async setup(): Promise<StoreFixture> {
      const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-store-'))
      const store = createFolderStore(path.join(parent, 'uploads'))
      return { store, teardown: async () => fs.rmSync(parent, { recursive: true, force: true }) }
    },
  },
  {
    kind: 's3',
    async setup(): Promise<StoreFixture> {
      const s3 = await startS3rver()
      const store = createS3Store({ bucket: BUCKET, endpoint: s3.endpoint, forcePathStyle: true, prefix: 'photos/2025', credentials: ACCESS })
      return {
        store,
        teardown: async () => {
          store.close()
          await s3.close()
        },
      }
    },
  },
])('PhotoStore contract: $kind', ({ kind, setup }) => {
  let fixture: StoreFixture
  let store: PhotoStore
  beforeAll(async () => {
    fixture = await setup()
    store = fixture.store
  })
  afterAll(() => fixture?.teardown())

  it('is of its kind and describes itself in one line', () => {
    expect(store.kind).toBe(kind)
    expect(store.describe()).not.toMatch(/\n/)
  })

  it('answers the same bytes of a real PNG it was given', async () => {
    const bytes = pngBytes(1)
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
    await store.put(NAME, bytes, 'image/png')
    expect(await store.exists(NAME)).toBe(true)
    const back = await store.get(NAME)
    expect(Buffer.isBuffer(back)).toBe(true)
    expect(back?.equals(bytes)).toBe(true)
  })

  it('answers null and false for a name never stored, and deleting it is no error', async () => {
    expect(await store.get('ffffffffffffffffffffffffffffffff.jpg')).toBeNull()
    expect(await store.exists('ffffffffffffffffffffffffffffffff.jpg')).toBe(false)
    await expect(store.delete('ffffffffffffffffffffffffffffffff.jpg')).resolves.toBeUndefined()
  })

  it('replaces what a name held when it is put again', async () => {
    const name = 'overwrite.png'
    await store.put(name, pngBytes(2), 'image/png')
    const second = pngBytes(3, 20)
    await store.put(name, second, 'image/png')
    expect((await store.get(name))?.equals(second)).toBe(true)
  })

  it('forgets a deleted name', async () => {
    const name = 'deleted.webp'
    await store.put(name, pngBytes(4), 'image/webp')
    await store.delete(name)
    expect(await store.get(name)).toBeNull()
    expect(await store.exists(name)).toBe(false)
  })

  it('keeps names apart', async () => {
    await store.put('a.png', pngBytes(5), 'image/png')
    await store.put('b.png', pngBytes(6), 'image/png')
    await store.delete('a.png')
    expect((await store.get('b.png'))?.equals(pngBytes(6))).toBe(true)
  })

  it('refuses a name that is not a plain file name, in every operation', async () => {
    for (const name of BAD_NAMES) {
      await expect(store.put(name, pngBytes(7), 'image/png')).rejects.toBeInstanceOf(PhotoNameError)
      await expect(store.get(name)).rejects.toBeInstanceOf(PhotoNameError)
      await expect(store.exists(name)).rejects.toBeInstanceOf(PhotoNameError)
      await expect(store.delete(name)).rejects.toBeInstanceOf(PhotoNameError)
    }
  })
})

describe('folder store', () => {
  let parent: string
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-store-'))
  })
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }))

  it('creates its folder (0700) and files (0600) and leaves no temporary file behind', async () => {
    const dir = path.join(parent, 'nested', 'uploads')
    const store = createFolderStore(dir)
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
    await store.put(NAME, pngBytes(1), 'image/png')
    await store.put(NAME, pngBytes(2), 'image/png')
    expect(fs.readdirSync(dir)).toEqual([NAME])
    expect(fs.statSync(path.join(dir, NAME)).mode & 0o777).toBe(0o600)
    expect(fs.readFileSync(path.join(dir, NAME)).equals(pngBytes(2))).toBe(true)
    expect(store.describe()).toBe(`folder ${dir}`)
  })

  it('writes nothing outside its folder, whatever the name', async () => {
    const dir = path.join(parent, 'uploads')
    const store = createFolderStore(dir)
    fs.writeFileSync(path.join(parent, 'secret.txt'), 'keep')
    for (const name of ['../secret.txt', '../escaped.png']) {
      await expect(store.put(name, pngBytes(1), 'image/png')).rejects.toThrow(PhotoNameError)
      await expect(store.delete(name)).rejects.toThrow(PhotoNameError)
    }
    expect(fs.readdirSync(parent).sort()).toEqual(['secret.txt', 'uploads'])
    expect(fs.readFileSync(path.join(parent, 'secret.txt'), 'utf8')).toBe('keep')
    expect(fs.readdirSync(dir)).toEqual([])
  })

  // Not in the contract run against s3rver: its file store writes an object in place, so two PUTs of one key
  // at once can interleave there (S3 itself replaces an object whole).
  it('keeps one whole version when the same name is written at once', async () => {
    const store = createFolderStore(path.join(parent, 'uploads'))
    const versions = [pngBytes(10), pngBytes(11, 120), pngBytes(12, 8)]
    await Promise.all(versions.map((bytes) => store.put('race.png', bytes, 'image/png')))
    const back = await store.get('race.png')
    expect(versions.some((bytes) => back?.equals(bytes))).toBe(true)
    expect(fs.readdirSync(path.join(parent, 'uploads'))).toEqual(['race.png'])
  })

  it('answers false for a folder of the same name', async () => {
    const dir = path.join(parent, 'uploads')
    const store = createFolderStore(dir)
    fs.mkdirSync(path.join(dir, 'folder.png'))
    expect(await store.exists('folder.png')).toBe(false)
  })
})

describe('S3 store', () => {
  let s3: Awaited<ReturnType<typeof startS3rver>>
  let client: S3Client
  beforeAll(async () => {
    s3 = await startS3rver()
    client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: ACCESS })
  })
  afterAll(async () => {
    client?.destroy()
    await s3?.close()
  })

  it('stores objects under the prefix with their content type', async () => {
    const store = createS3Store({ bucket: BUCKET, endpoint: s3.endpoint, forcePathStyle: true, prefix: '/tenant/photos', credentials: ACCESS })
    try {
      await store.put(NAME, pngBytes(1), 'image/png')
      const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `tenant/photos/${NAME}` }))
      expect(head.ContentType).toBe('image/png')
      expect(head.ContentLength).toBe(pngBytes(1).length)
      const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))
      expect(listed.Contents?.map((object) => object.Key)).toEqual([`tenant/photos/${NAME}`])
    } finally {
      store.close()
    }
  })

  it('works with a bucket made through the SDK, without a prefix', async () => {
    await client.send(new CreateBucketCommand({ Bucket: 'second-bucket' }))
    const store = createS3Store({ bucket: 'second-bucket', endpoint: s3.endpoint, forcePathStyle: true, credentials: ACCESS })
    try {
      await store.put('plain.jpg', pngBytes(3), 'image/jpeg')
      expect((await store.get('plain.jpg'))?.equals(pngBytes(3))).toBe(true)
      const head = await client.send(new HeadObjectCommand({ Bucket: 'second-bucket', Key: 'plain.jpg' }))
      expect(head.ContentType).toBe('image/jpeg')
    } finally {
      store.close()
    }
  })

  it('reports a missing bucket as a failure, not as a missing photo', async () => {
    const store = createS3Store({ bucket: 'no-such-bucket', endpoint: s3.endpoint, forcePathStyle: true, credentials: ACCESS })
    try {
      await expect(store.get(NAME)).rejects.toMatchObject({ name: 'NoSuchBucket' })
      await expect(store.put(NAME, pngBytes(1), 'image/png')).rejects.toMatchObject({ name: 'NoSuchBucket' })
    } finally {
      store.close()
    }
  })

  // s3rver checks the access key id only (it does not compute SigV4 signatures), so a wrong secret would pass
  it('is refused with an unknown access key', async () => {
    const store = createS3Store({
      bucket: BUCKET,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'NOBODY', secretAccessKey: 'S3RVER' },
    })
    try {
      await expect(store.put(NAME, pngBytes(1), 'image/png')).rejects.toMatchObject({ name: 'InvalidAccessKeyId' })
      await expect(store.get(NAME)).rejects.toMatchObject({ name: 'InvalidAccessKeyId' })
    } finally {
      store.close()
    }
  })

  it('describes itself without the keys', () => {
    const store = createS3Store({
      bucket: BUCKET,
      endpoint: 'https://user:pass-in-url@s3.example.com:9000/base',
      region: 'eu-central-1',
      prefix: 'photos',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAEXAMPLEKEYID', secretAccessKey: 'very/secret+Value' },
    })
    try {
      const line = store.describe()
      expect(line).toBe('S3 bucket posm-photos, prefix photos/, at https://s3.example.com:9000/base, region eu-central-1, path-style, configured credentials')
      for (const hidden of ['AKIAEXAMPLEKEYID', 'very/secret+Value', 'pass-in-url', 'user:']) expect(line).not.toContain(hidden)
    } finally {
      store.close()
    }
  })
})

describe('photoStoreFromEnv', () => {
  const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY'
  let parent: string
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-store-'))
  })
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }))

  it('keeps photos in the folder when S3_BUCKET is unset (or blank)', () => {
    for (const env of [{}, { S3_BUCKET: '  ' }]) {
      const store = photoStoreFromEnv(env, path.join(parent, 'uploads'))
      expect(store.kind).toBe('folder')
      expect(store.describe()).toBe(`folder ${path.join(parent, 'uploads')}`)
      expect(fs.existsSync(path.join(parent, 'uploads'))).toBe(true)
    }
  })

  it('reads the bucket settings', () => {
    expect(s3OptionsFromEnv({ S3_BUCKET: 'photos' })).toEqual({ bucket: 'photos', region: 'us-east-1', forcePathStyle: false })
    expect(
      s3OptionsFromEnv({
        S3_BUCKET: 'photos',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_REGION: 'ap-southeast-1',
        S3_PREFIX: 'posm/',
        S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        S3_SECRET_ACCESS_KEY: ` ${SECRET}\n`,
      }),
    ).toEqual({
      bucket: 'photos',
      endpoint: 'http://127.0.0.1:9000',
      region: 'ap-southeast-1',
      prefix: 'posm/',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: SECRET },
    })
    expect(s3OptionsFromEnv({ S3_BUCKET: 'photos', S3_ENDPOINT: 'https://r2.example.com', S3_FORCE_PATH_STYLE: 'FALSE' })?.forcePathStyle).toBe(false)
    expect(s3OptionsFromEnv({ S3_BUCKET: 'photos', S3_FORCE_PATH_STYLE: 'true' })?.forcePathStyle).toBe(true)
  })

  it('makes an S3 store whose description holds no secret', () => {
    const store = photoStoreFromEnv({ S3_BUCKET: 'photos', S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', S3_SECRET_ACCESS_KEY: SECRET }, path.join(parent, 'unused'))
    try {
      expect(store.kind).toBe('s3')
      expect(store.describe()).toContain('S3 bucket photos')
      expect(store.describe()).not.toContain(SECRET)
      expect(store.describe()).not.toContain('AKIAEXAMPLE')
      expect(fs.existsSync(path.join(parent, 'unused'))).toBe(false)
    } finally {
      store.close()
    }
  })

  it.each([
    ['S3_BUCKET', { S3_BUCKET: 'Not_A_Bucket' }],
    ['S3_ENDPOINT', { S3_ENDPOINT: 'http://127.0.0.1:9000' }],
    ['S3_ENDPOINT', { S3_BUCKET: 'photos', S3_ENDPOINT: 'not a url' }],
    ['S3_ENDPOINT', { S3_BUCKET: 'photos', S3_ENDPOINT: 'ftp://s3.example.com' }],
    ['S3_ENDPOINT', { S3_BUCKET: 'photos', S3_ENDPOINT: 'https://s3.example.com/?x=1' }],
    ['S3_ENDPOINT', { S3_BUCKET: 'photos', S3_ENDPOINT: `https://AKIAEXAMPLE:${encodeURIComponent(SECRET)}@s3.example.com` }],
    ['S3_ENDPOINT', { S3_BUCKET: 'photos', S3_ENDPOINT: `${SECRET}` }],
    ['S3_REGION', { S3_BUCKET: 'photos', S3_REGION: 'us east 1' }],
    ['S3_REGION', { S3_BUCKET: 'photos', S3_REGION: `${SECRET}` }],
    ['S3_PREFIX', { S3_BUCKET: 'photos', S3_PREFIX: '../other' }],
    ['S3_PREFIX', { S3_BUCKET: 'photos', S3_PREFIX: 'a//b' }],
    ['S3_FORCE_PATH_STYLE', { S3_BUCKET: 'photos', S3_FORCE_PATH_STYLE: 'maybe' }],
    ['S3_ACCESS_KEY_ID', { S3_BUCKET: 'photos' }],
    ['S3_SECRET_ACCESS_KEY', { S3_BUCKET: 'photos', S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', S3_SECRET_ACCESS_KEY: undefined }],
    ['S3_SECRET_ACCESS_KEY', { S3_BUCKET: 'photos', S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', S3_SECRET_ACCESS_KEY: `${SECRET} trailing words` }],
    ['S3_SECRET_ACCESS_KEY', { S3_SECRET_ACCESS_KEY: SECRET }],
  ] as [string, Record<string, string | undefined>][])('names %s in its message and never shows the secret (%j)', (variable, partial) => {
    // every case has the secret set (unless the case is its absence), so a message quoting values would show it
    const env: Record<string, string | undefined> = { S3_SECRET_ACCESS_KEY: SECRET, ...partial }
    let message = ''
    try {
      photoStoreFromEnv(env, path.join(parent, 'uploads'))
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain(variable)
    expect(message).not.toContain(SECRET)
    expect(message).not.toContain(encodeURIComponent(SECRET))
    expect(message).not.toContain('AKIAEXAMPLE')
  })
})
