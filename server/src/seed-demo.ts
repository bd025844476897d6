/**
 * `npm run seed:demo`: the demo ISOs, staff, promotions and inspections, on request, into the database of the
 * server's configuration (DATABASE_URL and DATABASE_SCHEMA, else DB_PATH). For a trial or a training server: a
 * production database starts empty, and this refuses a database that already holds any ISO's data.
 */
import { systemClock } from './clock'
import { databaseForDisplay, loadConfig } from './config'
import type { CommandResult } from './console-user'
import { openDatabase } from './db'
import { createRepos } from './repo'
import { seedDemoOnRequest } from './seed'
import { createTestAccountService } from './services/test-accounts'
import { DEVELOPMENT_TEST_ACCOUNT_KEY, testAccountCipher } from './test-accounts/crypto'

export async function runSeedDemo(env: Record<string, string | undefined>, args: string[] = []): Promise<CommandResult> {
  if (args.length > 0) {
    // e.g. `-- --iso iso-x`: there is no per-ISO seeding, and silently adding both demo ISOs would surprise
    return {
      code: 2,
      out: [
        `npm run seed:demo takes no arguments (got ${JSON.stringify(args.join(' ').slice(0, 80))}): it adds the two demo ISOs with their staff and promotions, to the database of DB_PATH or DATABASE_URL. Nothing added.`,
      ],
    }
  }
  const config = loadConfig(env)
  const where = databaseForDisplay(config)
  const db = await openDatabase(config.databaseUrl ?? config.dbPath, { schema: config.databaseSchema })
  try {
    const result = await seedDemoOnRequest(db, systemClock.now())
    if (result.ok) {
      // the demo staff's test accounts, sealed with the key the server will open them with (TEST_ACCOUNT_KEY; without
      // it, the development key of WORKSPACE_DEV): a production server started without the key refuses to start anyway
      const key = config.testAccountKey ?? DEVELOPMENT_TEST_ACCOUNT_KEY
      const log = () => undefined
      await createTestAccountService({ db, repos: createRepos(db), clock: systemClock, cipher: testAccountCipher(key), log }).seedDemo()
    }
    if (result.ok) return { code: 0, out: [`${where}: demo data added (ISOs Lion City Payments and Nusantara Merchant Services, their staff and promotions).`] }
    if (result.problem === 'has_demo') return { code: 0, out: [`${where}: the demo data is already there; nothing added.`] }
    const held = Object.entries(result.counts)
      .map(([table, n]) => `${n} ${table}`)
      .join(', ')
    return { code: 1, out: [`${where} already holds data (${held}): the demo data is added only to a database without any ISO's data. Nothing added.`] }
  } finally {
    await db.close()
  }
}

if (require.main === module) {
  runSeedDemo(process.env, process.argv.slice(2)).then(
    (r) => {
      for (const line of r.out) (r.code === 0 ? console.log : console.error)(line)
      process.exit(r.code)
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exit(1)
    },
  )
}
