// Types of scripts/test-setup.mjs (npm test's set-up), for its unit test.
export interface Requirement {
  name: string
  suites: string[]
  packages: string[]
  family?: string
}
export interface Machine {
  chromium: string | null
  fontFamilies: Set<string>
  postgres: boolean
  databaseUrl: string | null
}
export interface SetupPlan {
  action: 'none' | 'install' | 'stop'
  packages: string[]
  command?: string
}
export const PICTURE_FONTS: Array<{ family: string; package: string; sample: string }>
export const REQUIREMENTS: Requirement[]
export function missingRequirements(stepNames: string[], machine: Machine): Requirement[]
export function setupPlan(missing: Requirement[], options: { root: boolean; aptGet: boolean }): SetupPlan
export function fontFamiliesOf(fcListOutput: string): Set<string>
export function inspectMachine(env?: NodeJS.ProcessEnv): Machine
export function ensureMachine(stepNames: string[]): void
