// The key-leak scan over fixtures/ and reports/ (issue 7), and proof that it can fail.
// Planted secrets are built at run time and never put in a test name or a success message: what
// this file writes to reports/ (JUnit, Allure) must not trip the next run's scan.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { defaultScanRoots, formatLeaks, mask, scanPaths, scanText } from './leak-scan.ts';
import { LEAK_PATTERNS, redactHeaders, REDACTED } from '../http/redact.ts';

// Assembled, so that no full token sits in this file's text either.
const TOKEN = ['abcdef', 'ghijkl', 'mnop1234'].join('');
const UUID_KEY = ['0b1e5a3c', '2f4d', '4e6a', '9b8c', '7d6e5f4a3b2c'].join('-');

const leaksIn = (text: string) => scanText(text, 'x.txt');

describe('the key-leak scan', () => {
  test('fixtures/ and reports/ hold nothing that looks like a key or a bearer token', () => {
    const result = scanPaths(defaultScanRoots());
    expect(result.files, 'the scan read no file: fixtures/ is missing or the working directory is wrong').toBeGreaterThan(0);
    expect(result.leaks, `possible credential(s) on disk — redaction missed them (support/http/redact.ts):\n${formatLeaks(result.leaks)}`).toEqual([]);
  });

  test('fails on a planted bearer token and an echoed UUID key, naming file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leak-scan-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'cassettes', 'studio'), { recursive: true });
    writeFileSync(join(dir, 'cassettes', 'studio', 'auth.json'), ['{', '  "request": {', `    "headers": { "authorization": "Bearer ${TOKEN}" }`, '  }', '}'].join('\n'));
    writeFileSync(join(dir, 'junit.xml'), `<testsuites>\n<failure>401 {"errors":["no token ${UUID_KEY} found"]}</failure>\n</testsuites>\n`);
    writeFileSync(join(dir, 'clean.json'), JSON.stringify({ headers: { authorization: `Bearer ${REDACTED}` }, errors: [`no token ${REDACTED} found`] }));

    const { leaks, files } = scanPaths([dir]);
    expect(files).toBe(3);
    const where = leaks.map((l) => `${relative(dir, resolve(l.file))}:${l.line}`);
    // The JSON header line trips two patterns (the bearer token and the "authorization" value).
    expect([...new Set(where)].sort()).toEqual(['cassettes/studio/auth.json:3', 'junit.xml:2']);
    const report = formatLeaks(leaks);
    expect(report).toContain('auth.json:3:');
    expect(report).toContain('junit.xml:2:');
    // The report shows where, never the secret itself.
    expect(report).not.toContain(TOKEN);
    expect(report).not.toContain(UUID_KEY);
  });

  test('a missing folder is no error (reports/ before the first run)', () => {
    expect(scanPaths([join(tmpdir(), 'no-such-folder-for-the-leak-scan')])).toMatchObject({ files: 0, leaks: [] });
  });
});

describe('leak patterns (cases beyond support/http/redact.test.ts)', () => {
  test('the scheme is case-insensitive, as in HTTP', () => {
    expect(leaksIn(`authorization: bearer ${TOKEN}`)).toHaveLength(1);
    expect(leaksIn(`Authorization: BEARER ${TOKEN}`)).toHaveLength(1);
    expect(leaksIn('authorization: bearer [REDACTED]')).toEqual([]);
  });

  test('a UUID key next to token, key or bearer, in the forms reports carry', () => {
    expect(leaksIn(`?api_key=${UUID_KEY}`)).toHaveLength(1);
    expect(leaksIn(`{"x-api-key": "${UUID_KEY}"}`)).toHaveLength(1);
    expect(leaksIn(`LIVEPEER_API_KEY=${UUID_KEY}`)).toHaveLength(1);
    expect(leaksIn(`{"apiKey":"${UUID_KEY}"}`)).toHaveLength(1);
  });

  test('any non-redacted authorization value in JSON', () => {
    expect(leaksIn(`{"Authorization":"Basic ${TOKEN}"}`).length).toBeGreaterThan(0);
    expect(leaksIn(`{"Authorization":"Token ${TOKEN}"}`).length).toBeGreaterThan(0);
    expect(leaksIn(`{"authorization":"Bearer ${REDACTED}"}`)).toEqual([]);
  });

  test('what the suite itself writes is not flagged', () => {
    // The client's captured headers, a test name with the auth fingerprint, an LLM completion id.
    expect(leaksIn(JSON.stringify(redactHeaders({ Authorization: `Bearer ${TOKEN}` }, [TOKEN])))).toEqual([]);
    // DOC-11's key under another scheme (support/data/auth-probe.ts token-scheme), redacted alike.
    expect(leaksIn(JSON.stringify(redactHeaders({ Authorization: `Token ${TOKEN}` }, [TOKEN])))).toEqual([]);
    expect(leaksIn('DOC-11 unknown-key on /llm answers 401 [studio] (auth bearer-unknown)')).toEqual([]);
    expect(leaksIn(`{"id":"chatcmpl-${UUID_KEY}"}`)).toEqual([]);
  });

  test('the masked form of every match matches no pattern itself', () => {
    const samples = [`Bearer ${TOKEN}`, `{"authorization": "Basic ${TOKEN}"}`, `no token ${UUID_KEY} found`];
    for (const sample of samples) {
      const found = leaksIn(sample);
      expect(found.length).toBeGreaterThan(0);
      for (const leak of found) {
        expect(leak.shown).not.toContain(TOKEN);
        expect(leak.shown).not.toContain(UUID_KEY);
        expect(LEAK_PATTERNS.some((p) => new RegExp(p.source, p.flags).test(leak.shown))).toBe(false);
        // Also inside a failure message that quotes it in JSON.
        expect(leaksIn(JSON.stringify({ message: formatLeaks([leak]) }))).toEqual([]);
      }
    }
    expect(mask(`Bearer ${TOKEN}`)).toBe(`Bearer ${TOKEN.slice(0, 4)}… (${TOKEN.length} chars)`);
  });

  test('line and column count from 1', () => {
    expect(leaksIn(`first line\n  Bearer ${TOKEN}\n`)).toEqual([{ file: 'x.txt', line: 2, column: 3, shown: mask(`Bearer ${TOKEN}`), pattern: 0 }]);
  });
});
