import type { IsoRow } from '../repo/isos'
import { ISO_NAME_MAX, SPOT_LIMIT_RANGE, type IsoField, type IsoProfileForm } from '../services/iso-profile'
import { page, postForm, type Viewer } from './layout'
import { html, type SafeHtml } from './html'
import { when } from './render'

/** The ISO form: what was typed (kept when something is wrong) and each field's problem. */
export interface IsoFormState {
  values: IsoProfileForm
  errors: Partial<Record<IsoField, string>>
}

export const EMPTY_ISO_FORM: IsoFormState = {
  values: { name: '', email: '', region: '', timezone: '', dingtalkDeptId: '', maxSpotsPerStore: '5' },
  errors: {},
}

/** An ISO's profile in the form's fields. */
export function isoFormOf(iso: IsoRow): IsoFormState {
  return {
    values: {
      name: iso.name,
      email: iso.email,
      region: iso.region,
      timezone: iso.timezone,
      dingtalkDeptId: iso.dingtalk_dept_id === null ? '' : String(iso.dingtalk_dept_id),
      maxSpotsPerStore: String(iso.max_spots_per_store),
    },
    errors: {},
  }
}

const FIELD_ORDER: IsoField[] = ['name', 'email', 'region', 'timezone', 'dingtalkDeptId', 'maxSpotsPerStore']

interface FieldSpec {
  label: string
  hint: string
  attrs: SafeHtml
}

const FIELDS: Record<IsoField, FieldSpec> = {
  name: {
    label: 'Name',
    hint: 'As the Alipay Global Merchant Portal shows it; staff see it in the app.',
    attrs: html`maxlength="${ISO_NAME_MAX}" autocomplete="off"`,
  },
  email: {
    label: 'ISO Email',
    hint: 'The address the ISO signs in to the Alipay Global Merchant Portal with; staff type it in their association request. Each ISO has its own.',
    attrs: html`type="email" maxlength="254" autocomplete="off" spellcheck="false"`,
  },
  region: {
    label: 'Region',
    hint: 'The region code of its Alipay+ regional coordinator, e.g. SEA.',
    attrs: html`maxlength="8" size="8" autocapitalize="characters"`,
  },
  timezone: {
    label: 'Time zone',
    hint: 'An IANA time zone, e.g. Asia/Singapore: dates in the app, statistics and exports are in it.',
    attrs: html`list="iso-timezones" maxlength="64" autocomplete="off" spellcheck="false"`,
  },
  dingtalkDeptId: {
    label: 'DingTalk department',
    hint: 'The department ID of the ISO in the Alipay Partners organisation (digits); empty: none yet.',
    attrs: html`inputmode="numeric" pattern="[0-9]*" maxlength="18" size="12"`,
  },
  maxSpotsPerStore: {
    label: 'Spot limit',
    hint: `How many spots a store may have (${SPOT_LIMIT_RANGE.min} to ${SPOT_LIMIT_RANGE.max}).`,
    attrs: html`type="number" inputmode="numeric" min="${SPOT_LIMIT_RANGE.min}" max="${SPOT_LIMIT_RANGE.max}" size="4"`,
  },
}

function isoForm(viewer: Viewer, prefix: string, action: string, state: IsoFormState, submit: string): SafeHtml {
  const failed = FIELD_ORDER.filter((f) => state.errors[f])
  return html`${
    failed.length
      ? html`<div class="error" role="alert"><p>Nothing was saved. Correct ${failed.length === 1 ? 'this field' : 'these fields'}:</p><ul>${failed.map(
          (f) => html`<li><a href="#${prefix}-${f}">${FIELDS[f].label}: ${state.errors[f]}</a></li>`,
        )}</ul></div>`
      : ''
  }
${postForm(
  viewer,
  action,
  html`
${FIELD_ORDER.map((f) => {
  const id = `${prefix}-${f}`
  const error = state.errors[f]
  return html`<p>
  <label for="${id}">${FIELDS[f].label}</label>
  <input id="${id}" name="${f}" value="${state.values[f]}" ${FIELDS[f].attrs} aria-describedby="${id}-hint${error ? html` ${id}-error` : ''}"${
    error ? html` aria-invalid="true"` : ''
  }${f === 'dingtalkDeptId' ? '' : html` aria-required="true"`}>
  <span class="muted" id="${id}-hint">${FIELDS[f].hint}</span>
  ${error ? html`<span class="error" id="${id}-error">${error}</span>` : ''}
</p>`
})}
<button type="submit">${submit}</button>
`,
  { novalidate: true },
)}`
}

function timeZoneList(zones: string[]): SafeHtml {
  return html`<datalist id="iso-timezones">${zones.map((z) => html`<option value="${z}"></option>`)}</datalist>`
}

export interface IsoListModel {
  isos: IsoRow[]
  notice: string | null
  form: IsoFormState
  zones: string[]
}

/** /console/isos: every ISO with a link to edit it, and the form that onboards a new one (administrators). */
export function renderIsoListPage(viewer: Viewer, m: IsoListModel): string {
  return page({
    title: 'ISOs · ISO platform console',
    viewer,
    body: html`${m.notice ? html`<p class="notice" role="status">${m.notice}</p>` : ''}
<section aria-labelledby="iso-list">
  <h2 id="iso-list">ISOs</h2>
  ${
    m.isos.length === 0
      ? html`<p class="muted">No ISO yet: onboard the first one below.</p>`
      : html`<table>
<caption class="sr-only">ISOs</caption>
<thead><tr><th scope="col">Name</th><th scope="col">ISO Email</th><th scope="col">Region</th><th scope="col">Time zone</th><th scope="col">DingTalk department</th><th scope="col">Spot limit</th><th scope="col">Onboarded</th><th scope="col">Actions</th></tr></thead>
<tbody>
${m.isos.map(
  (iso) => html`<tr data-iso-id="${iso.id}">
  <td>${iso.name}</td>
  <td>${iso.email}</td>
  <td>${iso.region}</td>
  <td>${iso.timezone}</td>
  <td>${iso.dingtalk_dept_id ?? html`<span class="muted">not set</span>`}</td>
  <td>${iso.max_spots_per_store}</td>
  <td>${when(iso.created_at)}</td>
  <td><a href="/console/isos/${encodeURIComponent(iso.id)}/edit">Edit</a> · <a href="/console/isos/${encodeURIComponent(iso.id)}/history">History</a></td>
</tr>`,
)}
</tbody>
</table>`
  }
</section>
<section aria-labelledby="iso-new">
  <h2 id="iso-new">Onboard an ISO</h2>
  ${isoForm(viewer, 'new', '/console/isos', m.form, 'Add the ISO')}
  ${timeZoneList(m.zones)}
</section>`,
    nav: 'isos',
  })
}

/** /console/isos/:id/edit: the ISO's profile (administrators). */
export function renderIsoEditPage(viewer: Viewer, iso: IsoRow, form: IsoFormState, zones: string[]): string {
  return page({
    title: `${iso.name} · ISOs · ISO platform console`,
    viewer,
    body: html`<section aria-labelledby="iso-edit">
  <h2 id="iso-edit">Edit ${iso.name}</h2>
  <p class="muted">ISO id <code>${iso.id}</code> (in its association QR code; it never changes).</p>
  ${isoForm(viewer, 'edit', `/console/isos/${encodeURIComponent(iso.id)}`, form, 'Save')}
  ${timeZoneList(zones)}
  <p><a href="/console/isos">Back to the ISOs</a></p>
</section>`,
    nav: 'isos',
  })
}
