/**
 * CSV as RFC 4180 writes it (comma, CRLF, fields quoted when they hold a comma, quote or line break, quotes doubled),
 * and safe to open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be
 * read as a formula (OWASP "CSV injection"), so it is prefixed with `'`. Null is an empty field.
 */
const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (formulaStart.test(s)) s = `'${s}`;
  return needsQuotes.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, CRLF-terminated. */
export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  let line = "";
  for (let i = 0; i < cells.length; i++) line += (i ? "," : "") + csvCell(cells[i]);
  return `${line}\r\n`;
}
