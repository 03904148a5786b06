// The three outcomes of a spec on a target: conforms, known deviation (exactly as pinned), or
// changed. One function decides, one builds the text: documented / pinned / seen, then the exchange.
import type { DocRow } from '../catalogue.ts';
import type { Deviation } from '../deviations/registry.ts';
import { describeOutcome, formatExchange, type Exchange } from '../http/exchange.ts';
import { judge, type Expectation, type Judgement } from '../schemas/expectations.ts';

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

/** Everything a verdict is decided and written from, for DOC and SDK checks alike. */
export interface VerdictInput {
  /** DOC-xx or SDK-xx, with its statement and link. */
  row: { id: string; statement: string; link: string };
  exchange: Exchange;
  documented: { summary: string; judgement: Judgement };
  pin?: { deviation: Deviation; summary: string; judgement: Judgement };
  /** Lines shown after `seen:` (an observer's view). */
  extra?: readonly string[];
}

export function decide(v: VerdictInput): Verdict {
  const doc = v.documented.judgement;
  const pin = v.pin?.judgement;
  if (doc.holds && v.pin) {
    return write(v, 'changed', false, `changed: the documented behaviour now holds, so registry entry "${v.pin.deviation.id}" is stale; remove it from support/deviations/`, doc.reasons, pin?.reasons);
  }
  if (doc.holds) return write(v, 'conforms', true, 'conforms', [], undefined);
  if (v.pin && pin?.holds) return write(v, 'known deviation', true, `known deviation "${v.pin.deviation.id}"`, doc.reasons, []);
  const headline = v.pin
    ? `changed: neither the documented behaviour nor deviation "${v.pin.deviation.id}" holds`
    : 'changed: the documented behaviour does not hold and no deviation is pinned for this target';
  return write(v, 'changed', false, headline, doc.reasons, pin?.reasons);
}

export function classify(c: Classification): Verdict {
  return decide({
    row: c.doc,
    exchange: c.exchange,
    documented: { summary: c.documented.summary, judgement: judge(c.exchange, c.documented) },
    ...(c.pin ? { pin: { deviation: c.pin, summary: c.pin.pinned.summary, judgement: judge(c.exchange, c.pin.pinned) } } : {}),
    ...(c.aside ? { extra: [c.aside] } : {}),
  });
}

function write(v: VerdictInput, outcome: Outcome, pass: boolean, headline: string, docReasons: string[], pinReasons: string[] | undefined): Verdict {
  const lines = [
    `${v.row.id} [${v.exchange.target}]: ${headline}`,
    `  documented: ${v.documented.summary}  — ${v.row.statement} (${v.row.link})`,
  ];
  if (docReasons.length) lines.push(...docReasons.map((r) => `      ✗ ${r}`));
  if (v.pin) {
    lines.push(`  pinned:     ${v.pin.summary}  — deviation "${v.pin.deviation.id}": ${v.pin.deviation.summary}`);
    lines.push(`      evidence: ${v.pin.deviation.evidence.join('; ')}`);
    if (pinReasons?.length) lines.push(...pinReasons.map((r) => `      ✗ ${r}`));
  } else {
    lines.push('  pinned:     (no deviation registered for this target)');
  }
  lines.push(`  seen:       ${describeOutcome(v.exchange)}`);
  lines.push(...(v.extra ?? []).map((l) => `  ${l}`));
  lines.push('', formatExchange(v.exchange));
  return { outcome, pass, headline, message: lines.join('\n'), deviation: v.pin?.deviation };
}
