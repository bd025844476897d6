// Unit tests run against a development build: development sign-in exists (see src/services/dev-signin.ts).
const g = globalThis as Record<string, unknown>
g.POSM_DEV_SIGNIN = true
export {}
