// The outcomes of a check on a subject (a target, or the suite's own client code), decided in one
// place: conforms, known deviation (exactly as pinned), changed; and the two that are no verdict
// on the contract at all: no answer from the target (refused, reset, silent, DNS), and a request
// the suite did not send (replay miss, paid budget). One function decides, one builds the text:
// documented / pinned / seen, then the exchange. A 429 no check asked for, still there after the
// resends a run allows, is `rate limited`: no verdict either.
import type { CheckRow, PipelineId, Subject } from '../catalogue.ts';
import type { Deviation } from '../deviations/types.ts';
import { describeOutcome, formatExchange, gotNoAnswer, stillRateLimited, wasNotSent, type CapturedError, type Exchange } from '../http/exchange.ts';
import { goneMessage, isGone } from '../http/sunset.ts';
import { judgeAll, type Expectation, type Observation } from '../schemas/expectations.ts';

export const OUTCOMES = ['conforms', 'known deviation', 'changed', 'retired', 'no answer', 'rate limited', 'not sent'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * How the gate counts an outcome: a pass, a contract failure, a route retired upstream (a failure
 * too, by default: the docs still promise it), or a run that could not judge.
 */
export type OutcomeGroup = 'pass' | 'fail' | 'retired' | 'broken';
export const OUTCOME_GROUP: Record<Outcome, OutcomeGroup> = {
  conforms: 'pass',
  'known deviation': 'pass',
  changed: 'fail',
  retired: 'retired',
  'no answer': 'broken',
  'rate limited': 'broken',
  'not sent': 'broken',
};

/** Where and how a target failed to answer (for `no answer`), or why the suite sent nothing (`not sent`). */
export interface Failure {
  kind: CapturedError['kind'];
  code?: string;
  method: string;
  url: string;
  message: string;
}

export interface Verdict {
  outcome: Outcome;
  pass: boolean;
  /** One line: `conforms`, `known deviation "studio-doc01-get-404"`, `changed: …`, `no answer: …`. */
  headline: string;
  /** The full text: documented, pinned, seen, and the exchange. */
  message: string;
  deviation?: Deviation;
  failure?: Failure;
  /** For `retired`: the route's 410, its error text and Sunset date. */
  retired?: { path: string; message: string; sunset?: string };
  /** For `changed`: the documented behaviour holds, and the pin is stale. */
  stale?: boolean;
}

export interface Classification {
  row: Pick<CheckRow, 'id' | 'statement' | 'link'>;
  subject: Subject;
  pipeline?: PipelineId;
  documented: Expectation;
  pin?: Deviation;
  /** What must hold whichever side holds (the layer's exact answer, a latency budget, the retry trace). */
  requires?: readonly Expectation[];
  observation: Observation;
  /** Every exchange the check made, judged or not: one the suite did not send, or one with no answer, decides. */
  exchanges?: readonly Exchange[];
  /** Lines shown after `seen:`: an observer's view (the SDK's), a trace side by side. Never change the outcome. */
  notes?: readonly string[];
}

const failureOf = (x: Exchange): Failure => ({ kind: x.error!.kind, ...(x.error!.code ? { code: x.error!.code } : {}), method: x.request.method, url: x.request.url, message: x.error!.message });

export function classify(c: Classification): Verdict {
  const exchanges = c.exchanges ?? [c.observation.exchange, c.observation.final].filter((x): x is Exchange => !!x);
  const unsent = exchanges.find(wasNotSent);
  if (unsent) {
    const f = failureOf(unsent);
    return write(c, { outcome: 'not sent', headline: `not sent: ${f.kind}: ${f.message.split('\n')[0]}`, failure: f });
  }
  const requires = c.requires ?? [];
  const doc = judgeAll(c.observation, [c.documented, ...requires]);
  const pin = c.pin ? judgeAll(c.observation, [c.pin.pinned, ...requires]) : undefined;
  const pinId = c.pin?.id;
  if (doc.holds && pinId) {
    return write(c, { outcome: 'changed', headline: `changed: the documented behaviour now holds, so registry entry "${pinId}" is stale; remove it from support/deviations/`, stale: true }, doc.reasons, pin?.reasons);
  }
  if (doc.holds) return write(c, { outcome: 'conforms', headline: 'conforms' });
  if (pin?.holds) return write(c, { outcome: 'known deviation', headline: `known deviation "${pinId}"` }, doc.reasons, []);
  // 410 Gone: the route is retired upstream (go-livepeer #4036) while the docs still promise it.
  const gone = exchanges.find(isGone);
  if (gone) {
    const retired = { path: gone.request.path, message: goneMessage(gone), ...(gone.response?.headers.sunset ? { sunset: gone.response.headers.sunset } : {}) };
    return write(c, { outcome: 'retired', headline: `retired: ${c.subject} answers 410 Gone on ${retired.path}${retired.sunset ? ` (Sunset: ${retired.sunset})` : ''}: ${retired.message}`, retired }, doc.reasons, pin?.reasons);
  }
  // The target's rate limit, after every resend the run allows: no verdict on the contract either.
  const limited = [c.observation.exchange, c.observation.final].find(stillRateLimited);
  if (limited) {
    const attempts = exchanges.filter((x) => x.rateLimited && x.request.path === limited.request.path).length;
    return write(c, { outcome: 'rate limited', headline: `rate limited: ${c.subject} answered 429 to ${limited.request.method} ${limited.request.path} on ${attempts} send(s): ${limited.rateLimited!.why}` }, doc.reasons, pin?.reasons);
  }
  // No answer at all is no verdict on the contract: the target (or the way to it) is down.
  const silent = exchanges.find(gotNoAnswer);
  if (silent) {
    const f = failureOf(silent);
    return write(c, { outcome: 'no answer', headline: `no answer from ${c.subject}: ${f.kind}${f.code ? ` (${f.code})` : ''} on ${f.method} ${f.url}`, failure: f }, doc.reasons, pin?.reasons);
  }
  const headline = pinId ? `changed: neither the documented behaviour nor deviation "${pinId}" holds` : `changed: the documented behaviour does not hold and no deviation is pinned for ${c.subject}`;
  return write(c, { outcome: 'changed', headline }, doc.reasons, pin?.reasons);
}

const PASSING: ReadonlySet<Outcome> = new Set(['conforms', 'known deviation']);

function write(c: Classification, v: { outcome: Outcome; headline: string; failure?: Failure; retired?: Verdict['retired']; stale?: boolean }, docReasons: string[] = [], pinReasons?: string[]): Verdict {
  const x = c.observation.exchange;
  const lines = [`${c.row.id} [${c.subject}]: ${v.headline}`];
  if (v.outcome === 'no answer') {
    lines.push(`  not a verdict on the contract: ${c.subject} gave no answer (${v.failure!.message}). Is it up, and is LIVEPEER_GATEWAY_URL right? \`npm run diagnose\` checks the way to it step by step.`);
  }
  if (v.outcome === 'rate limited') {
    lines.push(`  not a verdict on the contract: the request met ${c.subject}'s rate limit, not the behaviour under test. Another run on the same key? Lower LIVEPEER_RATE_LIMIT_PER_MIN, or run again when it is done.`);
  }
  if (v.outcome === 'retired') {
    lines.push(`  the route is retired upstream: the documentation still promises it, so this fails the gate (npm run gate -- --allow-retired accepts it); the pipeline's other checks are skipped.`);
  }
  if (v.outcome === 'not sent') {
    lines.push(`  not a verdict on the contract: the suite did not send the request.`, `  ${v.failure!.message.replace(/\n/g, '\n  ')}`);
    return { ...v, pass: false, message: lines.join('\n') };
  }
  lines.push(`  documented: ${c.documented.summary}  — ${c.row.statement} (${c.row.link})`);
  for (const r of c.requires ?? []) lines.push(`  required:   ${r.summary}`);
  lines.push(...docReasons.map((r) => `      ✗ ${r}`));
  if (c.pin) {
    lines.push(`  pinned:     ${c.pin.pinned.summary}  — deviation "${c.pin.id}": ${c.pin.summary}`);
    lines.push(`      evidence: ${c.pin.evidence.join('; ')}`);
    if (pinReasons?.length) lines.push(...pinReasons.map((r) => `      ✗ ${r}`));
  } else {
    lines.push(`  pinned:     (no deviation registered for ${c.subject})`);
  }
  lines.push(`  seen:       ${x ? describeOutcome(x) : '(no request to a target: a check of the client code)'}`);
  if (c.observation.final && c.observation.final !== x) lines.push(`  final:      ${describeOutcome(c.observation.final)}`);
  lines.push(...(c.notes ?? []).map((l) => `  ${l}`));
  if (x) lines.push('', formatExchange(x));
  return { ...v, pass: PASSING.has(v.outcome), message: lines.join('\n'), ...(c.pin ? { deviation: c.pin } : {}) };
}
