// The one plain-text table printer: the gate's table, the retry attempts, SDK-04's side-by-side,
// the benchmark summary. Columns as wide as their widest cell, two spaces apart.

export interface TableOptions {
  /** Per column: `right` for numbers. Default left. */
  align?: readonly ('left' | 'right')[];
  /** A rule of dashes under the first row. */
  rule?: boolean;
}

/** The rows as lines, trailing spaces trimmed. */
export function formatTable(rows: readonly (readonly string[])[], options: TableOptions = {}): string[] {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    widths
      .map((w, i) => ((options.align?.[i] ?? 'left') === 'right' ? (r[i] ?? '').padStart(w) : (r[i] ?? '').padEnd(w)))
      .join('  ')
      .trimEnd();
  const lines = rows.map(line);
  if (options.rule && lines.length) lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines;
}
