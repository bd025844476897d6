import type { IsoRow } from '../repo/isos'
import { html } from './html'
import { page, type Viewer } from './layout'

/** /console/exports: a GET form per kind of CSV (the ISO, unless the account has only one, and the period). */
export function renderExportPage(viewer: Viewer, isos: IsoRow[], from: string, to: string, all: boolean): string {
  const isoField =
    all || isos.length !== 1
      ? html`<p><label for="export-iso">ISO</label>
  <select id="export-iso" name="iso">${all ? html`<option value="">Every ISO</option>` : ''}${isos.map((iso) => html`<option value="${iso.id}">${iso.name}</option>`)}</select></p>`
      : html`<p>ISO: ${isos[0].name}</p>`
  const form = (kind: string, label: string) => html`<form method="get" action="/console/exports/${kind}">
  ${isoField}
  <p><label for="${kind}-from">From</label> <input id="${kind}-from" name="from" type="date" value="${from}" required>
  <label for="${kind}-to">To</label> <input id="${kind}-to" name="to" type="date" value="${to}" required></p>
  <button type="submit">${label}</button>
</form>`
  return page({
    title: 'Exports · ISO platform console',
    viewer,
    body: html`<section aria-labelledby="exports">
  <h2 id="exports">Exports</h2>
  <p>CSV files of the promotions created in a period (both dates included, in each ISO’s time zone; a year at most), with their
  status, review reasons and dates in the ISO’s time zone.</p>
  ${isos.length === 0 ? html`<p class="muted">No ISO is in your scope yet.</p>` : ''}
  <h3>Promotions</h3>
  ${form('promotions.csv', 'Download promotions (CSV)')}
  <h3>Spots</h3>
  ${form('spots.csv', 'Download spots (CSV)')}
</section>`,
    nav: 'exports',
  })
}
