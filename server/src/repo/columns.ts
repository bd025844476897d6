/**
 * A row's columns, qualified by `alias`, for a SELECT list. Tables ordered by insertion have an explicit `rowid`
 * column in PostgreSQL, which `*` would return there (SQLite's `*` leaves its implicit rowid out); listing the
 * columns answers the same rows on both engines.
 */
export function columns(alias: string, names: readonly string[]): string {
  return names.map((name) => `${alias}.${name}`).join(', ')
}
