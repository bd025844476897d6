/**
 * `npm run console:user -- <command>`: console accounts from the command line, on the database of the
 * server's configuration (DATABASE_URL and DATABASE_SCHEMA, else DB_PATH, as the server reads them). The password is read from standard input
 * (one line), never from the command line, so that it stays out of the shell history and the process list.
 *
 *   add --role admin|iso_reviewer|coordinator|alipay_reviewer --username NAME --name "FULL NAME" [--iso ISO_ID] [--region CODE] [--dingtalk-user USERID]
 *   reset-password --username NAME
 *   disable --username NAME | enable --username NAME
 *   list
 */
import os from 'node:os'
import readline from 'node:readline'
import { systemClock } from './clock'
import { loadConfig } from './config'
import { openDatabase } from './db'
import { createRepos } from './repo'
import { commandLineActor, createConsoleAccountService, ROLE_LABELS } from './services/console-accounts'

export interface CommandResult {
  code: number
  out: string[]
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && i + 1 < args.length ? args[i + 1] : undefined
}

/** The options each command takes (each followed by its value). */
const OPTIONS: Record<string, readonly string[]> = {
  add: ['role', 'username', 'name', 'iso', 'region', 'dingtalk-user'],
  'reset-password': ['username'],
  disable: ['username'],
  enable: ['username'],
  list: [],
}

/**
 * What is wrong with the command line's options, or null: an option the command does not take (a typo such as
 * --isoo would otherwise be ignored), one without its value, or one given twice.
 */
function optionProblem(command: string, args: string[]): string | null {
  const allowed = OPTIONS[command] ?? []
  const seen = new Set<string>()
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]
    if (!arg.startsWith('--')) return `Unexpected ${JSON.stringify(arg.slice(0, 80))}: every value follows its option (e.g. --name "Olivia Tan").`
    const name = arg.slice(2)
    if (!allowed.includes(name)) {
      return `Unknown option ${arg.slice(0, 80)} for ${command}${allowed.length ? `: it takes ${allowed.map((o) => `--${o}`).join(', ')}` : ': it takes none'}.`
    }
    if (seen.has(name)) return `--${name} is given twice.`
    seen.add(name)
    const value = args[i + 1]
    if (value === undefined || value.startsWith('--')) return `--${name} needs a value.`
    i++
  }
  if (command === 'add') {
    const role = option(args, 'role')
    if (seen.has('iso') && role !== 'iso_reviewer') return '--iso is only for --role iso_reviewer (the ISO they review).'
    if (seen.has('region') && role !== 'coordinator') return '--region is only for --role coordinator (the region they coordinate).'
  }
  return null
}

async function readPassword(input: NodeJS.ReadableStream): Promise<string> {
  const rl = readline.createInterface({ input, terminal: false })
  for await (const line of rl) {
    rl.close()
    return line
  }
  return ''
}

const USAGE = [
  'usage: npm run console:user -- add --role ROLE --username NAME --name "FULL NAME" [--iso ISO_ID] [--region CODE] [--dingtalk-user USERID]   (password on standard input)',
  '       npm run console:user -- reset-password --username NAME   (password on standard input)',
  '       npm run console:user -- disable --username NAME | enable --username NAME | list',
  `roles: ${Object.keys(ROLE_LABELS).join(', ')}`,
]

/** Runs one command; the database is closed afterwards. */
export async function runConsoleUser(args: string[], env: Record<string, string | undefined>, input: NodeJS.ReadableStream): Promise<CommandResult> {
  const config = loadConfig(env)
  const db = await openDatabase(config.databaseUrl ?? config.dbPath, { schema: config.databaseSchema })
  const out: string[] = []
  try {
    const repos = createRepos(db)
    const accounts = createConsoleAccountService({ db, repos, clock: systemClock, dev: config.dev })
    const actor = commandLineActor(`${os.userInfo().username}@${os.hostname()}`)
    const [command] = args
    if (Object.prototype.hasOwnProperty.call(OPTIONS, command)) {
      const problem = optionProblem(command, args)
      if (problem) return { code: 2, out: [problem, ...USAGE] }
    }
    const username = option(args, 'username') ?? ''
    const target = () => repos.consoleAccounts.findByUsername(username)
    switch (command) {
      case 'list': {
        for (const a of await repos.consoleAccounts.list()) {
          out.push(`${a.username}\t${ROLE_LABELS[a.role]}\t${a.iso_id ?? a.region ?? 'all'}\t${a.disabled_at ? 'disabled' : 'active'}`)
        }
        if (out.length === 0) out.push('No console account yet.')
        return { code: 0, out }
      }
      case 'add': {
        const result = await accounts.create(actor, {
          username,
          name: option(args, 'name') ?? '',
          role: option(args, 'role') ?? '',
          isoId: option(args, 'iso') ?? null,
          region: option(args, 'region')?.toUpperCase() ?? null,
          dingtalkUserId: option(args, 'dingtalk-user') ?? null,
          password: await readPassword(input),
        })
        if (!result.ok) return { code: 1, out: [result.problem] }
        return { code: 0, out: [`Created ${result.account.username} (${ROLE_LABELS[result.account.role]}).`] }
      }
      case 'reset-password': {
        const account = await target()
        if (!account) return { code: 1, out: [`No account ${username}.`] }
        const result = await accounts.resetPassword(actor, account.id, await readPassword(input))
        return result.ok ? { code: 0, out: [`New password set for ${account.username}; its sessions are ended.`] } : { code: 1, out: [result.problem] }
      }
      case 'disable':
      case 'enable': {
        const account = await target()
        if (!account) return { code: 1, out: [`No account ${username}.`] }
        const result = await accounts.setDisabled(actor, account.id, command === 'disable')
        return result.ok ? { code: 0, out: [`${command === 'disable' ? 'Disabled' : 'Enabled'} ${account.username}.`] } : { code: 1, out: [result.problem] }
      }
      default:
        return { code: 2, out: USAGE }
    }
  } finally {
    await db.close()
  }
}

if (require.main === module) {
  runConsoleUser(process.argv.slice(2), process.env, process.stdin).then(
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
