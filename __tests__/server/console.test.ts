import type { AssociationState } from '../../packages/contract/api'
import { escapeHtml, html } from '../../server/src/console/html'
import { consoleSignIn, startTestServer, type TestServer } from './helpers'

describe('console', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer()
  })
  afterEach(() => server.close())

  const emilyState = async () => {
    const token = await server.signIn('staff-emily')
    return (await server.api('GET', '/api/association', { token })).json() as AssociationState
  }

  it('asks for a sign-in: pages lead to the sign-in form, forms without a session change nothing', async () => {
    const none = await server.consoleGet('/console', null)
    expect([none.statusCode, none.headers.location]).toEqual([303, '/console/sign-in?next=%2Fconsole'])
    expect(none.body).not.toContain('Emily')
    const wrong = await consoleSignIn(server.app, 'console', 'guess')
    expect(wrong.res.statusCode).toBe(401)
    expect(wrong.res.body).toContain('The user name or password is not correct.')
    expect(wrong.cookie).toBe('')
    const post = await server.app.inject({ method: 'POST', url: '/console/requests/req-seed-emily/approve' })
    expect(post.statusCode).toBe(401)
    expect((await emilyState()).status).toBe('pending')
  })

  it('shows the Review List, Staff Details and ISOs', async () => {
    const res = await server.consoleGet()
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.headers['content-security-policy']).toContain("default-src 'none'")
    const page = res.body
    expect(page).toContain('<main>')
    for (const heading of ['Review List', 'Recent decisions', 'Staff Details', 'ISOs']) expect(page).toMatch(new RegExp(`<h2[^>]*>${heading}</h2>`))
    expect(page).toMatch(
      /<tr data-request-id="req-seed-emily">[\s\S]*Emily Tan[\s\S]*\+65 9876 5432[\s\S]*Nusantara Merchant Services[\s\S]*partners@nusantara-ms\.example/,
    )
    expect(page).toMatch(/<button type="submit">Approve<\/button>/)
    expect(page).toMatch(/<label for="reason-req-seed-emily">Reason<\/label>\s*<textarea id="reason-req-seed-emily" name="reason"/)
    expect(page).toMatch(/>Reject<\/button>/)
    expect(page).toContain('alipay.test.chen@lioncitypay.example')
    expect(page).toContain('<a href="/console/isos/iso-lioncity/association-qr.svg">QR poster of Lion City Payments Pte. Ltd. (SVG, printable)</a>')
    expect(page).toContain('<span data-method-status="AGREED">Verify-Then-Deploy (agreed)</span>')
    expect(page).toMatch(/>Save<\/button>/)
    expect(page).toMatch(/<label for="limit-iso-nusantara">Spots per store<\/label>/)
  })

  it('approves a request and confirms it after the redirect', async () => {
    const res = await server.consolePost('/console/requests/req-seed-emily/approve', {})
    expect(res.statusCode).toBe(303)
    const after = await server.consoleGet(res.headers.location as string)
    expect(after.body).toContain('Approved the request of Emily Tan (Nusantara Merchant Services)')
    expect(after.body).not.toContain('data-request-id="req-seed-emily"')
    expect(after.body).toMatch(/<tr data-decision-id="req-seed-emily">[\s\S]*Approved/)
    expect(await emilyState()).toMatchObject({ status: 'approved', iso: { id: 'iso-nusantara' } })
  })

  it('re-renders with a visible error when the reason is empty, and changes nothing', async () => {
    // a second pending request, to check the other rows stay on the page
    const farah = await server.signIn('staff-farah')
    await server.api('POST', '/api/association/requests', {
      token: farah,
      body: { isoEmail: 'ops@lioncitypay.example', name: 'Farah Ismail', phone: '+6591234567' },
    })
    for (const reason of ['', '   ']) {
      const res = await server.consolePost('/console/requests/req-seed-emily/reject', { reason })
      expect(res.statusCode).toBe(400)
      expect(res.headers['content-type']).toMatch(/^text\/html/)
      expect(res.body).toMatch(/<p class="error" role="alert">The request was not rejected: <a href="#reason-req-seed-emily">Enter a reason/)
      expect(res.body).toMatch(/<p class="error" id="reason-error-req-seed-emily">Enter a reason/)
      expect(res.body).toContain('aria-invalid="true"')
      expect(res.body).toContain('data-request-id="req-seed-emily"')
      expect(res.body).toMatch(/<tr data-request-id="req-[0-9a-f-]+">\s*<td>Farah Ismail<\/td>/)
    }
    const missingField = await server.consolePost('/console/requests/req-seed-emily/reject', {})
    expect(missingField.statusCode).toBe(400)
    expect((await emilyState()).status).toBe('pending')
  })

  it('keeps a too-long reason in the textarea', async () => {
    const reason = `Wrong ISO <b>${'x'.repeat(520)}`
    const res = await server.consolePost('/console/requests/req-seed-emily/reject', { reason })
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('The reason is too long')
    expect(res.body).toContain(`>${escapeHtml(reason)}</textarea>`)
  })

  it('rejects with a reason the staff member sees', async () => {
    const res = await server.consolePost('/console/requests/req-seed-emily/reject', { reason: 'Not our staff member & unknown to us' })
    expect(res.statusCode).toBe(303)
    const after = await server.consoleGet(res.headers.location as string)
    expect(after.body).toContain('Rejected the request of Emily Tan')
    expect(after.body).toContain('Not our staff member &amp; unknown to us')
    expect(await emilyState()).toMatchObject({ status: 'rejected', iso: null, request: { reason: 'Not our staff member & unknown to us' } })
  })

  it('answers 409 for a request that is no longer pending and 404 for an unknown one', async () => {
    await server.consolePost('/console/requests/req-seed-emily/approve', {})
    for (const action of ['approve', 'reject']) {
      const res = await server.consolePost(`/console/requests/req-seed-emily/${action}`, { reason: 'too late' })
      expect(res.statusCode).toBe(409)
      expect(res.body).toContain('already approved')
    }
    expect((await emilyState()).status).toBe('approved')
    const unknown = await server.consolePost('/console/requests/req-nope/approve', {})
    expect(unknown.statusCode).toBe(404)
    expect(unknown.headers['content-type']).toMatch(/^text\/html/)
  })

  it('escapes everything it prints', async () => {
    await server.db.run("UPDATE staff SET name = ? WHERE id = 'staff-emily'", ['<script>alert(1)</script>'])
    await server.db.run("UPDATE association_requests SET name = ?, iso_email = ? WHERE id = 'req-seed-emily'", [
      '"><img src=x onerror=alert(2)>',
      "o'reilly@<x>.example",
    ])
    await server.db.run("UPDATE isos SET name = ? WHERE id = 'iso-lioncity'", ['Lion & <City>'])
    const page = (await server.consoleGet()).body
    expect(page).not.toContain('<script>')
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page).not.toContain('<img')
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;')
    expect(page).toContain('o&#39;reilly@&lt;x&gt;.example')
    expect(page).toContain('Lion &amp; &lt;City&gt;')
  })

  it('saves an ISO spot limit; the deployment method is agreed elsewhere, never set here', async () => {
    const res = await server.consolePost('/console/isos/iso-lioncity/spot-limit', { maxSpotsPerStore: '4' })
    expect(res.statusCode).toBe(303)
    const after = await server.consoleGet(res.headers.location as string)
    expect(after.body).toContain('Saved: Lion City Payments Pte. Ltd. allows at most 4 spots per store.')
    expect(after.body).toMatch(/<tr data-iso-id="iso-lioncity">[\s\S]*?data-method-status="AGREED">Verify-Then-Deploy \(agreed\)/)
    const chen = await server.signIn('staff-chen')
    expect((await server.api('GET', '/api/workspace', { token: chen })).json()).toMatchObject({ maxSpotsPerStore: 4, method: 'VERIFY_THEN_DEPLOY' })

    expect((await server.consolePost('/console/isos/iso-lioncity/spot-limit', { maxSpotsPerStore: '0' })).statusCode).toBe(400)
    expect((await server.consolePost('/console/isos/iso-nope/spot-limit', { maxSpotsPerStore: '3' })).statusCode).toBe(404)
    // the old form that set the method alone is gone
    expect((await server.consolePost('/console/isos/iso-lioncity/deployment-method', { deploymentMethod: 'DEPLOY_THEN_VERIFY' })).statusCode).toBe(404)
  })

  it('refuses forms sent from another site', async () => {
    const res = await server.consolePost('/console/requests/req-seed-emily/approve', {}, { origin: 'http://evil.example' })
    expect(res.statusCode).toBe(403)
    const fetchSite = await server.consolePost('/console/requests/req-seed-emily/approve', {}, { 'sec-fetch-site': 'cross-site' })
    expect(fetchSite.statusCode).toBe(403)
    expect((await emilyState()).status).toBe('pending')
    const sameOrigin = await server.consolePost('/console/requests/req-seed-emily/approve', {}, { origin: 'http://localhost:80', host: 'localhost:80' })
    expect(sameOrigin.statusCode).toBe(303)
  })

  it('answers a console page that does not exist with 404 HTML', async () => {
    const res = await server.consoleGet('/console/nope')
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
  })
})

describe('html helper', () => {
  it('escapes interpolations but not nested html', () => {
    const inner = html`<b>${'<i>'}</b>`
    expect(html`<p title="${'"x"'}">${inner}${['&', null, false, 1]}</p>`.value).toBe('<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&amp;1</p>')
  })
})
