/**
 * `npm run shots:dd` / `npm run shots:h5`: pictures of every state of the scenario (__tests__/shots) on the
 * DingTalk build (dist/dd rendered by __tests__/dd/render) or on the H5 preview (dist/h5), in dist/shots/dd or
 * dist/shots/h5, then dist/shots/index.html showing both side by side with the figures (whatever pictures of
 * the other build an earlier run left). Build first: `npm run build:dd`, `npm run build:h5`. `compare` only
 * compares the pictures already taken.
 */
import { launchBrowser } from '../__tests__/e2e/harness'
import { compareRuns } from '../__tests__/shots/compare'
import { OUT, shootDd, shootH5, thresholdOf } from '../__tests__/shots/run'

async function main() {
  const which = process.argv[2]
  if (which !== 'dd' && which !== 'h5' && which !== 'compare') throw new Error('usage: tsx scripts/shots.ts dd|h5|compare')
  if (which === 'compare') {
    // only the comparison of the pictures already taken (the test's step, see compareRunsApart)
    compareRuns()
    return
  }
  const browser = await launchBrowser()
  try {
    const run = which === 'dd' ? await shootDd(browser) : await shootH5(browser)
    for (const c of run.captures)
      console.log(`${c.state.name.padEnd(28)} ${c.problems.length ? `${c.problems.length} problem(s): ${c.problems.join('; ')}` : 'ok'}`)
    for (const note of run.notes) console.log(`note: ${note}`)
  } finally {
    await browser.close()
  }
  const reports = compareRuns()
  for (const r of reports) {
    if (r.pixels === undefined) continue
    console.log(
      `${r.name.padEnd(28)} ${(r.pixels * 100).toFixed(2).padStart(6)} % pixels differ${r.pixels > thresholdOf(r.name) ? ` (over the threshold, ${(thresholdOf(r.name) * 100).toFixed(1)} %)` : ''}${r.textDiff ? `; text: ${r.textDiff}` : ''}`,
    )
  }
  console.log(`\npictures in ${OUT}; side by side: ${OUT}/index.html`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
