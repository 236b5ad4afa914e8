/** Plain-text tables for the terminal (and Markdown ones for docs). */

export type Cell = string | number | null | undefined;

/** A number with thousands separators and `digits` decimals; null/NaN as a dash. */
export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** project / bare, as "1.23×"; a dash when either side is missing or bare is 0. */
export function ratio(project: number | null | undefined, bare: number | null | undefined): string {
  if (project == null || bare == null || !Number.isFinite(project) || !Number.isFinite(bare) || bare === 0) return '—';
  return `${(project / bare).toFixed(2)}×`;
}

/** Columns padded to their widest cell; the first column left-aligned, the rest right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = [header, ...rows].map((row) => row.map((cell) => (cell === null || cell === undefined ? '—' : String(cell))));
  const widths = header.map((_, i) => Math.max(...text.map((row) => row[i]?.length ?? 0)));
  const line = (row: string[]): string =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(text[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...text.slice(1).map(line)].join('\n');
}

/** A ratio against its target as "1.23×", with a third decimal when two would show the target itself for a value on either side of it. */
export function times(value: number, limit: number): string {
  const shown = value.toFixed(2);
  return `${Number(shown) === limit && value !== limit ? value.toFixed(3) : shown}×`;
}
