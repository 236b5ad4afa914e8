/**
 * The statement builder both drivers share (after Mattermost's sqlstore): each
 * query is written once with named `:name` placeholders and compiled to each
 * driver's style when it is defined. better-sqlite3 binds `:name` from an
 * object as written; PostgreSQL wants `$1..$n` and an array, so the names are
 * numbered in order of first use. `COLLATE BINARY` (byte order, SQLite's
 * default) becomes `COLLATE "C"`, so PostgreSQL sorts text as SQLite does
 * whatever the database's locale. Pass values as parameters, never as string
 * literals with a `:word` in them (it would be taken for a placeholder).
 */

/** A statement compiled for PostgreSQL: `$n` stands for `names[n - 1]`. */
export interface Numbered {
  readonly text: string;
  readonly names: readonly string[];
}

/** One statement for both drivers, typed by its named parameters `P` and the rows `R` it answers. */
export interface Statement<P extends object = object, R = unknown> {
  /** `:name` placeholders: what better-sqlite3 prepares. */
  readonly text: string;
  readonly postgres: Numbered;
  /** Type only, never set: carries `P` and `R` to the drivers. */
  readonly types?: { params: P; row: R };
}

/**
 * A list bound as one JSON array parameter: `x IN (SELECT value FROM json_each(:ids))`,
 * or `FROM json_each(:ids) AS j` (SQLite's `json_each` and PostgreSQL's
 * `json_array_elements_text` both name their column `value`). PostgreSQL gets
 * the `IN` as `= ANY (ARRAY(...))`: an index condition, whatever it guesses
 * of the list's length.
 */
const IN_JSON_EACH = /IN \(SELECT value FROM json_each\((\$\d+)\)\)/g;
const JSON_EACH = /json_each\((\$\d+)\)/g;

/** Not after a word character or a colon, so PostgreSQL's `x::text` casts stay as they are. */
const PLACEHOLDER = /(?<![\w:]):([A-Za-z_]\w*)/g;

/** `R` defaults to no rows: a statement run for its effect. */
export function sql<P extends object = Record<string, never>, R = never>(text: string): Statement<P, R> {
  return { text, postgres: numbered(text) };
}

/** One statement written for each driver, where one text cannot lead both planners to the same index. */
export function sqlEach<P extends object = Record<string, never>, R = never>(sqlite: string, postgres: string): Statement<P, R> {
  return { text: sqlite, postgres: numbered(postgres) };
}

function numbered(text: string): Numbered {
  const names: string[] = [];
  const pgText = text
    .replace(PLACEHOLDER, (_match, name: string) => {
      const index = names.includes(name) ? names.indexOf(name) : names.push(name) - 1;
      return `$${index + 1}`;
    })
    .replaceAll('COLLATE BINARY', 'COLLATE "C"')
    .replace(IN_JSON_EACH, '= ANY (ARRAY(SELECT json_array_elements_text(CAST($1 AS json))))')
    .replace(JSON_EACH, 'json_array_elements_text(CAST($1 AS json))');
  return { text: pgText, names };
}
