// The lines a run prints (banner, closing summary, gate, Allure environment) about routes retired
// upstream and the Deprecation / Sunset / Warning headers a target sent.
import type { Notice, Retirement } from './run-record.ts';

/** What the banner adds about notices and retired routes. */
export function describeEndOfLife(facts: { retired: readonly Retirement[]; notices: readonly Notice[] }): string[] {
  const lines = facts.retired.map((r) => `retired: ${r.target} answers 410 Gone on /${r.pipeline}${r.sunset ? ` (Sunset: ${r.sunset})` : ''}: ${r.message}`);
  const seen = new Set<string>();
  for (const n of facts.notices) {
    const line = `${n.target} announced ${n.sunset ? `sunset of ${n.path} on ${n.sunset}` : `the deprecation of ${n.path}`}${n.warning ? ` (${n.warning})` : ''}`;
    if (!seen.has(line)) lines.push(line), seen.add(line);
  }
  return lines;
}
