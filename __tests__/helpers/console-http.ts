/**
 * The console over real HTTP (fetch), signed in through its sign-in form: for tests that drive a running
 * server without a browser (the compiled dd build's release path, the pictures' scenario).
 */
export interface ConsoleHttp {
  /** Sends a console form with the session's CSRF token; answers the status (303 when done). */
  post(path: string, form?: Record<string, string>): Promise<number>
  get(path: string): Promise<{ status: number; body: string }>
}

/** The value a response's Set-Cookie gives the cookie `name`. */
export const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => new RegExp(`^${name}=([^;]*)`).exec(c)?.[1])
    .find((v) => v !== undefined)

/** The CSRF token of a console page's forms. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''

export async function consoleHttp(base: string, username: string, password = 'console'): Promise<ConsoleHttp> {
  const form = await fetch(`${base}/console/sign-in`)
  const formCookie = cookieOf(form, 'posm_console_signin')
  const signIn = await fetch(`${base}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `posm_console_signin=${formCookie}` },
    body: new URLSearchParams({ _csrf: csrfOf(await form.text()), username, password }).toString(),
  })
  const session = cookieOf(signIn, 'posm_console')
  if (signIn.status !== 303 || !session) throw new Error(`console sign-in of ${username}: ${signIn.status}`)
  const cookie = `posm_console=${session}`
  const home = await fetch(`${base}${signIn.headers.get('location')}`, { headers: { cookie } })
  const csrf = csrfOf(await home.text())
  return {
    async post(path, fields = {}) {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      })
      return res.status
    },
    async get(path) {
      const res = await fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' })
      return { status: res.status, body: await res.text() }
    },
  }
}
