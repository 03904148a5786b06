// The three outcomes of a spec on a target: conforms, known deviation (exactly as pinned), or
// changed. One function decides, one builds the text: documented / pinned / seen, then the exchange.
import type { DocRow } from './catalogue.ts';
import type { Deviation } from './deviations.ts';
import { describeOutcome, formatExchange, type Exchange } from './exchange.ts';
import { judge, type Expectation } from './expectations.ts';

export const OUTCOMES = ['conforms', 'known deviation', 'changed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Verdict {
  outcome: Outcome;
  pass: boolean;
  /** One line: `conforms`, `known deviation studio-get-404`, `changed: …`. */
  headline: string;
  /** The full text: documented, pinned, seen, and the exchange. */
  message: string;
  deviation?: Deviation;
}

export interface Classification {
  doc: DocRow;
  documented: Expectation;
  pin?: Deviation;
  exchange: Exchange;
  /** A note from an observer that never changes the outcome (e.g. what the SDK made of it). */
  aside?: string;
}

export function classify(c: Classification): Verdict {
  const documented = judge(c.exchange, c.documented);
  const pinned = c.pin ? judge(c.exchange, c.pin.pinned) : undefined;

  if (documented.holds && c.pin) {
    return verdict(c, 'changed', false, `changed: the documented behaviour now holds, so registry entry "${c.pin.id}" is stale; remove it from support/deviations.ts`, documented.reasons, pinned?.reasons);
  }
  if (documented.holds) return verdict(c, 'conforms', true, 'conforms', [], undefined);
  if (c.pin && pinned?.holds) return verdict(c, 'known deviation', true, `known deviation "${c.pin.id}"`, documented.reasons, []);
  const headline = c.pin
    ? `changed: neither the documented behaviour nor deviation "${c.pin.id}" holds`
    : 'changed: the documented behaviour does not hold and no deviation is pinned for this target';
  return verdict(c, 'changed', false, headline, documented.reasons, pinned?.reasons);
}

function verdict(c: Classification, outcome: Outcome, pass: boolean, headline: string, docReasons: string[], pinReasons: string[] | undefined): Verdict {
  const lines = [
    `${c.doc.id} [${c.exchange.target}]: ${headline}`,
    `  documented: ${c.documented.summary}  — ${c.doc.statement} (${c.doc.link})`,
  ];
  if (docReasons.length) lines.push(...docReasons.map((r) => `      ✗ ${r}`));
  if (c.pin) {
    lines.push(`  pinned:     ${c.pin.pinned.summary}  — deviation "${c.pin.id}": ${c.pin.summary}`);
    lines.push(`      evidence: ${c.pin.evidence.join('; ')}`);
    if (pinReasons?.length) lines.push(...pinReasons.map((r) => `      ✗ ${r}`));
  } else {
    lines.push('  pinned:     (no deviation registered for this target)');
  }
  lines.push(`  seen:       ${describeOutcome(c.exchange)}`);
  if (c.aside) lines.push(`  ${c.aside}`);
  lines.push('', formatExchange(c.exchange));
  return { outcome, pass, headline, message: lines.join('\n'), deviation: c.pin };
}
