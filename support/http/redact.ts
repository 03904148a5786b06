// Secrets never reach disk: every write path (cassette, report, log) goes through here.
// The key's *value* is replaced wherever it appears (Studio's 401 body echoes it), in the forms
// a body or URL can carry it: raw, JSON-escaped, URL-encoded and base64.

export const REDACTED = '[REDACTED]';

/** The forms in which a secret can appear in text, longest first. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    Buffer.from(secret, 'utf8').toString('base64'),
    Buffer.from(secret, 'utf8').toString('base64url'),
    Buffer.from(`Bearer ${secret}`, 'utf8').toString('base64'),
  ]);
  return [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One pattern matching every form of every secret, longest first, as text and as latin1 bytes.
 * Built once per set of secrets: a run redacts every exchange with the same one or two.
 */
const patterns = new Map<string, { text: RegExp; latin1: RegExp } | null>();

function patternsFor(secrets: readonly (string | undefined)[]): { text: RegExp; latin1: RegExp } | null {
  const present = secrets.filter((s): s is string => !!s);
  const key = present.join('\0');
  let found = patterns.get(key);
  if (found === undefined) {
    const forms = [...new Set(present.flatMap(secretForms))].sort((a, b) => b.length - a.length);
    const alternation = (fs: string[]) => new RegExp(fs.map(escapeRegExp).join('|'), 'g');
    found = forms.length === 0 ? null : { text: alternation(forms), latin1: alternation(forms.map((f) => Buffer.from(f, 'utf8').toString('latin1'))) };
    patterns.set(key, found);
  }
  return found;
}

/** Replaces every form of every secret in a text. */
export function redactText(text: string, secrets: readonly (string | undefined)[]): string {
  const p = patternsFor(secrets);
  return p ? text.replace(p.text, REDACTED) : text;
}

/** Redacts a binary body byte for byte (latin1 maps each byte to one character and back). */
export function redactBytes(bytes: Uint8Array, secrets: readonly (string | undefined)[]): Uint8Array {
  const p = patternsFor(secrets);
  if (!p) return bytes;
  return new Uint8Array(Buffer.from(Buffer.from(bytes).toString('latin1').replace(p.latin1, REDACTED), 'latin1'));
}

/** Deep-redacts strings inside a JSON-like value; a value with no secret in it comes back as is. */
export function redactValue<T>(value: T, secrets: readonly (string | undefined)[]): T {
  const p = patternsFor(secrets);
  if (!p) return value;
  if (value && typeof value === 'object') {
    // One native pass over the whole value first: most values hold no secret (the patterns match
    // the JSON-escaped form of each secret too, so whatever a string holds is found here).
    const text = JSON.stringify(value);
    p.text.lastIndex = 0;
    if (text === undefined || !p.text.test(text)) return value;
  }
  return deepRedact(value, secrets);
}

function deepRedact<T>(value: T, secrets: readonly (string | undefined)[]): T {
  if (typeof value === 'string') return redactText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => deepRedact(v, secrets)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepRedact(v, secrets)])) as T;
  }
  return value;
}

const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** Header map with credentials masked and secret values scrubbed. Names are lower-cased. */
export function redactHeaders(headers: Record<string, string>, secrets: readonly (string | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[lower] = SENSITIVE_HEADERS.has(lower) ? maskCredential(value) : redactText(value, secrets);
  }
  return out;
}

/** `Bearer sk_live_…` → `Bearer [REDACTED]`: keeps the scheme, which is what a reader needs. */
export function maskCredential(value: string): string {
  const m = /^\s*(\w+)\s+\S/.exec(value);
  return m ? `${m[1]} ${REDACTED}` : value.trim() === '' ? value : REDACTED;
}

/** Patterns that look like credentials, for the key-leak scan over fixtures/ and reports/. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\bBearer\s+(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{12,}/gi,
  // Redacted values keep their scheme: the Bearer key, and the key DOC-11 sends as `Token <key>`.
  /"authorization"\s*:\s*"(?!(?:Bearer|Token) \[REDACTED\]|\[REDACTED\])[^"]{8,}"/gi,
  // Studio API keys are UUIDs, echoed as `no token <key> found`; the suite's unknown key is not one.
  // No word boundary before the context word: `api_key=`, `LIVEPEER_API_KEY=` and `apiKey` count too.
  /(?:token|key|bearer)\W{1,4}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
];
