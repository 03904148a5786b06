// An expectation is what a spec (documented) or a registry entry (pinned) says a target answers:
// a status, or no response at all, and the body's shape as a zod schema. Both sides use this type,
// so a pin is never weaker than "status and body shape".
import { z } from 'zod';
import type { Exchange } from '../http/exchange.ts';

export interface Expectation {
  /** One line a reader can compare with what came: `405 {"detail":"Method Not Allowed"}`. */
  summary: string;
  /** An HTTP status, or `dropped` for a connection closed without a response. */
  status: number | 'dropped';
  /** The body's shape (JSON value, or the text when it is not JSON). Omitted only for `dropped`. */
  body?: z.ZodType;
  /** Response headers that must be present, matched exactly (names lower case). */
  headers?: Record<string, string>;
}

export interface Judgement {
  holds: boolean;
  /** Why it does not hold, one reason a line. Empty when it holds. */
  reasons: string[];
}

/** The body a check sees: parsed JSON when it parses, the text otherwise, '' for none. */
export function observedBody(x: Exchange): unknown {
  const r = x.response;
  if (!r) return undefined;
  if (r.json !== undefined) return r.json;
  if (r.text !== undefined) return r.text;
  return { base64Bytes: r.bytes };
}

export function judge(x: Exchange, e: Expectation): Judgement {
  const reasons: string[] = [];
  if (e.status === 'dropped') {
    if (x.error?.kind !== 'connection') {
      reasons.push(x.response ? `status ${x.response.status} came, expected the connection to drop without a response` : `${x.error?.kind} (${x.error?.message}), expected a dropped connection`);
    }
    return { holds: reasons.length === 0, reasons };
  }
  if (!x.response) {
    reasons.push(`no HTTP response (${x.error?.kind}: ${x.error?.message}), expected status ${e.status}`);
    return { holds: false, reasons };
  }
  if (x.response.status !== e.status) reasons.push(`status ${x.response.status}, expected ${e.status}`);
  for (const [name, value] of Object.entries(e.headers ?? {})) {
    const seen = x.response.headers[name];
    if (seen !== value) reasons.push(`header ${name}: ${seen === undefined ? 'absent' : JSON.stringify(seen)}, expected ${JSON.stringify(value)}`);
  }
  if (e.body) {
    const parsed = e.body.safeParse(observedBody(x));
    if (!parsed.success) reasons.push(`body does not match: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
  }
  return { holds: reasons.length === 0, reasons };
}

// Shapes shared by expectations. Detailed per-dialect schemas live in schemas/.
export const anyBody = z.unknown();
export const emptyBody = z.literal('', { error: 'expected an empty body' });
