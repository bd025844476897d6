// What `npm test` needs from the machine, checked before the first suite (scripts/test-all.mjs): Debian's Chromium
// (end-to-end and pictures), the font families the pictures name (__tests__/shots/fonts.json) and PostgreSQL (the server
// tests on PostgreSQL). What is missing is installed with apt-get when we are root on a machine that has it
// (non-interactive); otherwise npm test stops at once with the one command that installs it.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

// npm runs npm test from the project's folder (as test-all.mjs's steps assume)
const ROOT = process.cwd()
export const PICTURE_FONTS = JSON.parse(fs.readFileSync(path.join(ROOT, '__tests__', 'shots', 'fonts.json'), 'utf8')).families

/** Each requirement: the suites (parts of their names) that need it, and the Debian packages that give it. */
export const REQUIREMENTS = [
  { name: "Debian's Chromium", suites: ['end-to-end', 'drawn'], packages: ['chromium'] },
  ...PICTURE_FONTS.map(({ family, package: pkg }) => ({ name: `the font family "${family}"`, suites: ['drawn'], packages: [pkg], family })),
  { name: 'PostgreSQL', suites: ['on PostgreSQL'], packages: ['postgresql'] },
]

/**
 * The requirements the steps about to run lack. `machine`: what the machine has — chromium (a path or null), fontFamilies
 * (every family fc-list names), postgres (initdb found), databaseUrl (TEST_DATABASE_URL: a cluster of the developer's own,
 * so no PostgreSQL needed here).
 */
export function missingRequirements(stepNames, machine) {
  return REQUIREMENTS.filter((r) => {
    if (!stepNames.some((step) => r.suites.some((s) => step.includes(s)))) return false
    if (r.packages[0] === 'chromium') return !machine.chromium
    if (r.family) return !machine.fontFamilies.has(r.family)
    return !machine.postgres && !machine.databaseUrl
  })
}

/** What to do about them: nothing, install these packages (root with apt-get), or stop with the one command to type. */
export function setupPlan(missing, { root, aptGet }) {
  const packages = [...new Set(missing.flatMap((r) => r.packages))]
  if (packages.length === 0) return { action: 'none', packages }
  const command = `apt-get install -y ${packages.join(' ')}`
  if (root && aptGet) return { action: 'install', packages, command }
  return { action: 'stop', packages, command: aptGet ? `sudo ${command}` : command }
}

/** The families fc-list names (each line may list several, comma-separated: a family's names in other languages). */
export function fontFamiliesOf(fcListOutput) {
  return new Set(
    fcListOutput
      .split('\n')
      .flatMap((line) => line.split(','))
      .map((f) => f.replace(/\\/g, '').trim())
      .filter(Boolean),
  )
}

const exists = (file) => fs.existsSync(file)

/** What this machine has. */
export function inspectMachine(env = process.env) {
  const chromium = [env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && exists(p)) ?? null
  let fontFamilies = new Set()
  try {
    fontFamilies = fontFamiliesOf(execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' }))
  } catch {
    // no fontconfig: no font at all as far as Chromium is concerned
  }
  const postgres = fs.existsSync('/usr/lib/postgresql') && fs.readdirSync('/usr/lib/postgresql').some((v) => exists(`/usr/lib/postgresql/${v}/bin/initdb`))
  return { chromium, fontFamilies, postgres, databaseUrl: env.TEST_DATABASE_URL?.trim() || null }
}

/** Checks the machine for the steps about to run; installs or stops (exit 1). */
export function ensureMachine(stepNames) {
  const missing = missingRequirements(stepNames, inspectMachine())
  const aptGet = exists('/usr/bin/apt-get')
  const plan = setupPlan(missing, { root: process.getuid?.() === 0, aptGet })
  if (plan.action === 'none') return
  console.log(`\n=== set-up: missing ${missing.map((r) => r.name).join(', ')}`)
  if (plan.action === 'stop') {
    console.error(`npm test needs them; install them with:\n\n    ${plan.command}\n\nthen run npm test again.`)
    process.exit(1)
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  for (const args of [
    ['update', '-q'],
    ['install', '-y', '-q', ...plan.packages],
  ]) {
    console.log(`$ apt-get ${args.join(' ')}`)
    const res = spawnSync('apt-get', args, { stdio: 'inherit', env })
    if (res.status !== 0) {
      console.error(`apt-get ${args[0]} failed (exit ${res.status}); install them yourself with:\n\n    ${plan.command}\n`)
      process.exit(1)
    }
  }
  const still = missingRequirements(stepNames, inspectMachine())
  if (still.length) {
    console.error(`still missing after apt-get: ${still.map((r) => r.name).join(', ')}`)
    process.exit(1)
  }
}
