// The key's value is scrubbed in every form a body, URL or header can carry it.
import { describe, expect, test } from 'vitest';
import { LEAK_PATTERNS, maskCredential, redactBytes, redactHeaders, redactText, redactValue, REDACTED, secretForms } from './redact.ts';

const KEY = 'c4n4ry-k3y/with+odd=chars"';

describe('redaction', () => {
  test.each(secretForms(KEY))('removes the form %s', (form) => {
    expect(redactText(`before ${form} after`, [KEY])).toBe(`before ${REDACTED} after`);
  });

  test("Studio's 401 echo loses the key", () => {
    expect(redactValue({ errors: [`no token ${KEY} found`] }, [KEY])).toEqual({ errors: [`no token ${REDACTED} found`] });
  });

  test('credentials in headers keep their scheme only', () => {
    expect(redactHeaders({ Authorization: `Bearer ${KEY}`, 'X-Echo': KEY }, [KEY])).toEqual({ authorization: `Bearer ${REDACTED}`, 'x-echo': REDACTED });
    expect(maskCredential('Bearer')).toBe(REDACTED);
  });

  test('the leak patterns catch a bearer token and an echoed UUID key, not redacted text', () => {
    const leaks = (s: string) => LEAK_PATTERNS.some((p) => new RegExp(p.source, p.flags).test(s));
    expect(leaks('Authorization: Bearer abcdefghijklmnop1234')).toBe(true);
    expect(leaks('{"errors":["no token 0b1e5a3c-2f4d-4e6a-9b8c-7d6e5f4a3b2c found"]}')).toBe(true);
    expect(leaks(`"authorization": "Bearer ${REDACTED}"`)).toBe(false);
    expect(leaks('{"id":"chatcmpl-bee90ad6-f156-4b56-8a80-9606de981104"}')).toBe(false);
  });
});

describe('binary bodies', () => {
  test('a key inside binary bytes is replaced byte for byte', () => {
    const bytes = new Uint8Array([0xff, 0x00, ...Buffer.from(`key=${KEY}`), 0xfe]);
    const out = Buffer.from(redactBytes(bytes, [KEY]));
    expect(out.includes(Buffer.from(KEY))).toBe(false);
    expect(out.includes(Buffer.from(REDACTED))).toBe(true);
    expect([out[0], out[1], out[out.length - 1]]).toEqual([0xff, 0x00, 0xfe]);
  });
});
