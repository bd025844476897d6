/**
 * The near-duplicate thresholds' tuning (README "Near-duplicate photos and location trust"): generated storefronts
 * (__tests__/helpers/storefronts.ts), each with its copies (resized, re-compressed, cropped, brighter, darker);
 * for each hash distance, how many copies would pass unnoticed and how many pairs of different storefronts would
 * be taken for one photo, without and with the colour check. Run: npx tsx scripts/tune-near-duplicates.ts [count]
 */
import { colourDifference, hammingDistance, photoFingerprint, type PhotoFingerprint } from '../server/src/evidence/dhash'
import { DEFAULT_EVIDENCE_SETTINGS } from '../server/src/evidence/config'
import { storefrontPhoto, variantOf, VARIANTS } from '../__tests__/helpers/storefronts'

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100)
  const colour = DEFAULT_EVIDENCE_SETTINGS.reuseMaxColour
  const originals: PhotoFingerprint[] = []
  const copies: Array<{ bits: number; colour: number; variant: string }> = []
  for (let seed = 1; seed <= count; seed++) {
    const photo = await storefrontPhoto(seed)
    const fp = (await photoFingerprint(photo)) as PhotoFingerprint
    originals.push(fp)
    for (const variant of VARIANTS) {
      const copy = (await photoFingerprint(await variantOf(photo, variant))) as PhotoFingerprint
      copies.push({ bits: hammingDistance(fp.hash, copy.hash), colour: colourDifference(fp.colours, copy.colours), variant })
    }
  }
  const pairs: Array<{ bits: number; colour: number }> = []
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      pairs.push({ bits: hammingDistance(originals[i].hash, originals[j].hash), colour: colourDifference(originals[i].colours, originals[j].colours) })
    }
  }
  console.log(`${count} storefronts, ${copies.length} copies, ${pairs.length} pairs of different storefronts; colour limit ${colour}`)
  for (const v of VARIANTS) {
    const of = copies.filter((c) => c.variant === v)
    console.log(
      `  ${v}: hash distance up to ${Math.max(...of.map((c) => c.bits))} bits, colour difference up to ${Math.max(...of.map((c) => c.colour)).toFixed(1)}`,
    )
  }
  console.log('| max bits | copies missed | different taken as one (hash only) | different taken as one (hash and colour) |')
  for (let bits = 3; bits <= 10; bits++) {
    const missed = copies.filter((c) => c.bits > bits || c.colour > colour).length
    const hashOnly = pairs.filter((p) => p.bits <= bits).length
    const both = pairs.filter((p) => p.bits <= bits && p.colour <= colour).length
    console.log(`| ${bits} | ${missed}/${copies.length} | ${hashOnly}/${pairs.length} | ${both}/${pairs.length} |`)
  }
}

void main()
