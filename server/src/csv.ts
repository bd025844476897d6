/**
 * One CSV (RFC 4180) cell. A cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
 * carriage return) is prefixed with ', so that opening an export never runs what someone typed. Every CSV the
 * server writes uses it.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
