/**
 * The list of server test files the PostgreSQL pass leaves out (engine-free.js) stays true: each exists, and none
 * opens a database (no test server, no test database, no database module), so leaving it out loses nothing.
 */
import fs from 'node:fs'
import path from 'node:path'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const engineFree = require('./engine-free.js') as string[]

const OPENS_A_DATABASE = [/startTestServer/, /testDatabase/, /openDatabase/, /buildServer/, /from '\.\/helpers'/, /server\/src\/(db|database)\b/]

describe('server test files left out of the PostgreSQL pass', () => {
  it.each(engineFree)('%s exists and opens no database', (file) => {
    const text = fs.readFileSync(path.join(__dirname, file), 'utf8')
    expect(OPENS_A_DATABASE.filter((pattern) => pattern.test(text)).map(String)).toEqual([])
  })
})
