import fs from 'node:fs'
import path from 'node:path'
import { startTestServer, tempDir, type TestServer } from './helpers'

describe('serving the H5 app', () => {
  let server: TestServer
  let h5: ReturnType<typeof tempDir>
  beforeAll(async () => {
    h5 = tempDir()
    fs.writeFileSync(path.join(h5.dir, 'index.html'), '<!doctype html><title>POSM Workspace</title><div id="app"></div>')
    fs.mkdirSync(path.join(h5.dir, 'js'))
    fs.writeFileSync(path.join(h5.dir, 'js', 'app.js'), 'console.log("app")')
    server = await startTestServer({ staticDir: h5.dir })
  })
  afterAll(async () => {
    await server.close()
    h5.cleanup()
  })

  it('serves index.html and assets at /', async () => {
    const index = await server.app.inject({ method: 'GET', url: '/' })
    expect(index.statusCode).toBe(200)
    expect(index.body).toContain('<title>POSM Workspace</title>')
    const asset = await server.app.inject({ method: 'GET', url: '/js/app.js' })
    expect(asset.statusCode).toBe(200)
    expect(asset.body).toContain('console.log')
  })

  it('falls back to index.html for app routes, not for missing files', async () => {
    const route = await server.app.inject({ method: 'GET', url: '/pages/home/index', headers: { accept: 'text/html' } })
    expect(route.statusCode).toBe(200)
    expect(route.body).toContain('<div id="app">')
    expect((await server.app.inject({ method: 'GET', url: '/js/missing.js' })).statusCode).toBe(404)
  })

  it('does not shadow /api or /console', async () => {
    const api = await server.api('GET', '/api/nope', { headers: { accept: 'text/html' } })
    expect(api.statusCode).toBe(404)
    expect(api.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
    expect((await server.api('GET', '/api/me')).statusCode).toBe(401)
    expect((await server.consoleGet('/console', null)).statusCode).toBe(303)
    expect((await server.consoleGet()).body).toContain('Review List')
    const consolePage = await server.consoleGet('/console/nope')
    expect(consolePage.statusCode).toBe(404)
    expect(consolePage.body).toContain('no such console page')
    expect((await server.consoleGet('/console/nope', null)).statusCode).toBe(303)
    expect(api.headers['access-control-allow-origin']).toBe('*')
  })
})

describe('without a built H5 app', () => {
  it('explains what / is', async () => {
    const server = await startTestServer({ staticDir: '/nonexistent/dist/h5' })
    try {
      const res = await server.app.inject({ method: 'GET', url: '/' })
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('/console')
      expect((await server.app.inject({ method: 'GET', url: '/elsewhere' })).statusCode).toBe(404)
    } finally {
      await server.close()
    }
  })
})
