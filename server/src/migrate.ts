/**
 * `npm run migrate`: applies the pending schema migrations to the database the server would use
 * (DATABASE_URL, else DB_PATH) without starting the server, and says which versions it went between.
 * The server does the same at start; this is for a deployment that migrates before it rolls out processes. It never
 * adds data: a new database gets the schema only.
 */
import { databaseForDisplay, loadConfig } from './config'
import { migrate } from './db'
import { openPostgres } from './database/postgres'
import { openSqlite } from './database/sqlite'

async function main(): Promise<void> {
  const config = loadConfig()
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl, { schema: config.databaseSchema }) : openSqlite(config.dbPath)
  try {
    const { from, to } = await migrate(db)
    console.log(
      from === to
        ? `${databaseForDisplay(config)}: schema version ${to}, nothing to do`
        : `${databaseForDisplay(config)}: schema version ${from} → ${to}${from === 0 ? ' (new database: the schema only; demo data: npm run seed:demo)' : ''}`,
    )
  } finally {
    await db.close()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
