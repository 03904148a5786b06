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

/** Replaces every form of every secret in a text. */
export function redactText(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of secretForms(secret)) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** Redacts a binary body byte for byte (latin1 maps each byte to one character and back). */
export function redactBytes(bytes: Uint8Array, secrets: readonly (string | undefined)[]): Uint8Array {
  let text = Buffer.from(bytes).toString('latin1');
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of secretForms(secret)) text = text.split(Buffer.from(form, 'utf8').toString('latin1')).join(REDACTED);
  }
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** Deep-redacts strings inside a JSON-like value. */
export function redactValue<T>(value: T, secrets: readonly (string | undefined)[]): T {
  if (typeof value === 'string') return redactText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, secrets)])) as T;
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
  /"authorization"\s*:\s*"(?!Bearer \[REDACTED\]|\[REDACTED\])[^"]{8,}"/gi,
  // Studio API keys are UUIDs, echoed as `no token <key> found`; the suite's unknown key is not one.
  // No word boundary before the context word: `api_key=`, `LIVEPEER_API_KEY=` and `apiKey` count too.
  /(?:token|key|bearer)\W{1,4}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
];
