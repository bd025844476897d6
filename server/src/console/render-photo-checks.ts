import type { PhotoCodeCheck, PhotoQualityIssue } from '../../../packages/contract/photo-check'
import type { PhotoCheckRow } from '../repo/photo-checks'
import { html, type SafeHtml } from './html'

const QUALITY_LABELS: Record<PhotoQualityIssue, string> = {
  DARK: 'too dark',
  OVEREXPOSED: 'overexposed',
  BLURRED: 'blurred',
}

const CODE_LABELS: Record<PhotoCodeCheck, string> = {
  MATCH: 'The photo shows the scanned code.',
  DIFFERENT: 'The photo shows a different code than the one scanned.',
  NONE: 'No readable code in the photo.',
}

/**
 * Issue 26: what the photo checks found, beside the photo on the console's promotion page: the quality warning
 * and whether the staff member kept the photo anyway, and for a Marketing Code spot whether its photo shows
 * the scanned code. Nothing when the photo was not checked.
 */
export function photoCheckNote(check: PhotoCheckRow | undefined, scannedCode: string | null): SafeHtml | '' {
  if (!check) return ''
  const measured = `brightness ${Math.round(check.brightness)}/255, ${Math.round(check.overexposed * 100)}% burnt out, sharpness ${Math.round(check.sharpness)}`
  const quality = check.quality_issue
    ? html`<p class="photo-check photo-check--warn" data-photo-quality="${check.quality_issue}">Photo check: ${QUALITY_LABELS[check.quality_issue]} (${measured}).
      ${check.kept === 1 ? 'The staff member was warned and kept it anyway.' : check.kept === 0 ? 'Sent without the staff member confirming the warning.' : ''}</p>`
    : html`<p class="photo-check muted" data-photo-quality="OK">Photo check: exposure and focus fine (${measured}).</p>`
  const code =
    scannedCode !== null && check.code_check
      ? html`<p class="photo-check ${check.code_check === 'MATCH' ? 'muted' : 'photo-check--warn'}" data-code-check="${check.code_check}">${CODE_LABELS[check.code_check]}</p>`
      : ''
  return html`${quality}${code}`
}
