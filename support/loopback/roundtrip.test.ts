// The record→replay round trip, end to end in child vitest runs: record mode against loopback
// servers with a canary key, into a copy of the fixtures (what `npm run record` does to the repo),
// then replay from that copy. Every spec must pass both ways, and the canary must appear in no
// cassette, no Allure result, no JUnit file and no line of either run's output, in any of the forms
// redaction covers. This is the proof that a user's `npm run record` with a staging key leaves no
// secret (pitfalls.md item 1).
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { TARGET_IDS, type TargetId } from '../catalogue.ts';
import { loadCassettes, originOf, recordingOf, type LoadedCassette, type RecordedRequest } from '../modes/cassettes.ts';
import type { Exchange } from '../http/exchange.ts';
import { scanPaths } from '../hygiene/leak-scan.ts';
import { Recorder } from '../modes/recorder.ts';
import { secretForms } from '../http/redact.ts';
import { ReplayEngine } from '../modes/replay.ts';
import { build, minimalDraft } from '../data/requests.ts';
import { filesAsText, runOnLoopback, runVitest, secretHits, tail, type ChildRun } from './child-run.ts';
import { runDir, verdictsFile } from '../paths.ts';
import { readRunRecord } from '../report/run-record.ts';
import { LOOPBACK_KEY } from './env.ts';

/** Looks like a Studio key (a UUID), so the credential patterns of the leak scan apply to it too. */
const CANARY = randomUUID();
const SLOTS = Math.max(1, Math.min(4, availableParallelism() - 1));
const ROUND_TRIP_TIMEOUT = 900_000;
const tmp = mkdtempSync(join(tmpdir(), 'roundtrip-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Leg {
  fixtures: string;
  reports: string;
  run: ChildRun;
}

/** Records the specs from loopback servers of `target` that accept `validKeys`, into a copy of fixtures/. */
async function record(name: string, target: TargetId, validKeys: string[], files: readonly string[] = []): Promise<Leg> {
  const fixtures = join(tmp, name, 'fixtures');
  const reports = join(tmp, name, 'reports-record');
  cpSync('fixtures', fixtures, { recursive: true });
  const { run } = await runOnLoopback({
    target,
    mode: 'record',
    server: { validKeys },
    files,
    slots: SLOTS,
    timeoutMs: ROUND_TRIP_TIMEOUT,
    vars: { LIVEPEER_API_KEY: CANARY, LIVEPEER_FIXTURES_DIR: fixtures, LIVEPEER_REPORTS_DIR: reports },
  });
  return { fixtures, reports, run };
}

/** Replays the specs of `target` from a fixtures folder, as `npm test` does. */
async function replay(name: string, target: TargetId, fixtures: string, files: readonly string[] = []): Promise<Leg> {
  const reports = join(tmp, name, 'reports-replay');
  const run = await runVitest(['--project', 'contract', ...files], { LIVEPEER_TEST_MODE: 'replay', LIVEPEER_TARGET: target, LIVEPEER_FIXTURES_DIR: fixtures, LIVEPEER_REPORTS_DIR: reports });
  return { fixtures, reports, run };
}

/** Everything a run left: its files and its output. */
function everything(...legs: Leg[]): Record<string, string> {
  const texts = filesAsText(...new Set(legs.flatMap((l) => [l.fixtures, l.reports])));
  legs.forEach((l, i) => {
    texts[`run ${i + 1} stdout`] = l.run.stdout;
    texts[`run ${i + 1} stderr`] = l.run.stderr;
  });
  return texts;
}

/** The scan can fail: Allure results and JUnit of every run are among the files scanned. */
function expectReportsScanned(texts: Record<string, string>, legs: Leg[]): void {
  const files = Object.keys(texts);
  for (const leg of legs) {
    expect(files.some((f) => f.startsWith(join(leg.reports, 'allure-results')) && f.endsWith('-result.json')), `Allure results in ${leg.reports}`).toBe(true);
    expect(files, `JUnit in ${leg.reports}`).toContain(join(leg.reports, 'junit.xml'));
  }
}

function expectNoLeak(legs: Leg[]): void {
  const texts = everything(...legs);
  expectReportsScanned(texts, legs);
  expect(secretHits(CANARY, texts), 'canary key found').toEqual([]);
  const scan = scanPaths(legs.flatMap((l) => [l.fixtures, l.reports]));
  expect(scan.files).toBeGreaterThan(0);
  expect(scan.leaks, 'credential-shaped strings found').toEqual([]);
}

describe('record → replay round trip on loopback', () => {
  test.for(TARGET_IDS)(
    '%s: recorded with a canary key, then replayed from the recording: every spec passes, DOC-13 included, and the key is nowhere',
    { timeout: ROUND_TRIP_TIMEOUT },
    async (target, { annotate }) => {
      const recorded = await record(target, target, [CANARY]);
      expect(recorded.run.code, tail(recorded.run)).toBe(0);
      // The run paid for exactly what it planned before it sent anything (support/run/plan.ts).
      const run = readRunRecord(verdictsFile(recorded.reports));
      const planned = run.run.plan[target]!;
      expect(readdirSync(join(runDir(recorded.reports), 'paid')).length, 'paid requests sent').toBe(planned.paid);
      // …and, where the target rate-limits, what its limiter counts (none sent again: no 429 here).
      expect(run.sent?.[target], 'what the run says it sent').toEqual({ paid: planned.paid, counted: planned.counted, resent: 0 });
      const cassettes = loadCassettes(recorded.fixtures, [target]).filter((c) => recordingOf(c.provenance) !== undefined);
      expect(cassettes.length, 'cassettes recorded').toBeGreaterThan(0);
      expect(cassettes.every((c) => recordingOf(c.provenance)!.host.startsWith('127.0.0.1:'))).toBe(true);
      // What no live target can be asked for (a 500 on demand, DOC-13) is kept, and stays authored
      // or observed: in a cassette the recording did not touch, or beside the recorded interactions of a mixed one.
      const errors = loadCassettes(recorded.fixtures, [target]).find((c) => c.area === 'error-handling')!;
      expect(errors.interactions.filter((i) => originOf(errors, i) !== 'recorded' && /DOC-13/.test(JSON.stringify(i.request.body))).length).toBe(4);
      if (errors.interactions.some((i) => originOf(errors, i) === 'recorded')) expect(errors.provenance.kind).toBe('mixed');

      const replayed = await replay(target, target, recorded.fixtures);
      expect(replayed.run.code, tail(replayed.run)).toBe(0);
      expect(replayed.run.stdout).toMatch(/Tests\s+\d+ passed/);
      const doc13 = readRunRecord(verdictsFile(replayed.reports)).tests.filter((t) => t.verdict?.check === 'DOC-13');
      expect(doc13.map((t) => t.verdict!.outcome)).toEqual(['conforms', 'conforms']);

      expectNoLeak([recorded, replayed]);
      await annotate(`record ${recorded.run.ms} ms, replay ${replayed.run.ms} ms, ${cassettes.length} cassettes recorded`, 'timing');
    },
  );

  test(
    "studio refusing the canary: its 401 echo of the key is recorded as [REDACTED], and the key reaches no cassette, report or log",
    { timeout: ROUND_TRIP_TIMEOUT },
    async ({ annotate }) => {
      // Every keyed request now gets `no token <canary> found` (contract-notes §2.3.3): the specs
      // fail, and their failure messages print the exchange. That output is what is checked.
      const refused = await record('studio-refused', 'studio', [LOOPBACK_KEY], ['specs/connectivity.spec.ts']);
      expect(refused.run.code, tail(refused.run)).not.toBe(0);
      const cassetteText = Object.values(filesAsText(join(refused.fixtures, 'cassettes', 'studio', 'connectivity.json'))).join('');
      expect(cassetteText).toContain('"recorded"');
      expect(cassetteText).toContain('no token [REDACTED] found');
      expect(`${refused.run.stdout}${refused.run.stderr}`).toContain('no token [REDACTED] found');
      expectNoLeak([refused]);
      await annotate(`record ${refused.run.ms} ms`, 'timing');
    },
  );
});

describe('the canary scan', () => {
  test('finds the key raw, JSON-escaped, URL-encoded and base64-encoded', () => {
    const secret = 'k"ey/with+odd chars';
    const forms = secretForms(secret);
    const texts = Object.fromEntries(forms.map((f, i) => [`file ${i}`, `before ${f} after`]));
    expect(secretHits(secret, texts).map((h) => h.where)).toEqual(expect.arrayContaining(Object.keys(texts)));
    expect(forms.length).toBeGreaterThanOrEqual(5);
    expect(secretHits(secret, { clean: 'nothing here [REDACTED]' })).toEqual([]);
  });
});

describe('record and replay count alike', () => {
  const spec = build(minimalDraft('text-to-image'));
  const sent: RecordedRequest = { method: 'POST', path: '/text-to-image', auth: 'bearer', body: { kind: 'json', value: (spec.body as { value: unknown }).value } };
  const exchange = (status: number): Exchange => ({
    target: 'studio',
    request: { method: 'POST', url: 'http://127.0.0.1:1/text-to-image', path: '/text-to-image', headers: {}, auth: 'bearer', body: null },
    response: { status, headers: { 'content-type': 'application/json' }, contentType: 'application/json', json: { status }, text: JSON.stringify({ status }), bytes: 12 },
    elapsedMs: 3,
  });

  test('a request an earlier test recorded is not recorded again: replay would answer it from the first copy', () => {
    const dir = join(tmp, 'recorder');
    const recorder = new Recorder({ fixturesDir: dir, baseUrls: { studio: 'http://127.0.0.1:1' } });
    recorder.beginTest();
    recorder.add('area', exchange(200), { spec });
    recorder.beginTest(); // a second test sends it twice: the second send is new to the sequence
    recorder.add('area', exchange(500), { spec });
    recorder.add('area', exchange(201), { spec });
    recorder.flush();
    const [cassette] = loadCassettes(dir, ['studio']);
    expect(cassette!.interactions.map((i) => ('status' in i.response ? i.response.status : 'dropped'))).toEqual([200, 201]);
  });

  test("replay answers a request several areas recorded from the running spec's own cassette first", () => {
    const cassette = (area: string, status: number): LoadedCassette => ({
      file: `fixtures/cassettes/studio/${area}.json`,
      cassette: 1,
      target: 'studio',
      area,
      provenance: { kind: 'recorded', recordedAt: '2026-11-25T00:00:00Z', host: '127.0.0.1:1', target: 'studio' },
      interactions: [{ id: `${area}-1`, request: sent, response: { status, headers: {}, body: { kind: 'none' } } }],
    });
    const engine = new ReplayEngine([cassette('alpha', 201), cassette('beta', 202)], {});
    const answer = () => engine.match('studio', sent).interaction.id;
    engine.resetSequences('beta');
    expect(answer()).toBe('beta-1');
    engine.resetSequences('gamma'); // no cassette of its own: the first that has it
    expect(answer()).toBe('alpha-1');
    engine.resetSequences();
    expect([answer(), answer()]).toEqual(['alpha-1', 'beta-1']);
  });
});
