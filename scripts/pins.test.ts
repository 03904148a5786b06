// From a live run to reviewed pins. Unit: what a proposal pins (the observed status and the body's
// shape with its exact text), what it replaces or withdraws, and what it refuses (a replay, a
// self-check, a result that is no verdict). End to end on a loopback gateway with two planted
// changes (a status, a message text): a live run fails; `npm run pins -- --propose` writes the
// pins; the gate keeps failing while they are not committed; committed, the next live run passes,
// and so does a replay of a recording made with them.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { pinsPath, readPinsFile, writePinsFile, type PinsFile } from '../support/deviations/data-pins.ts';
import { bodyShape, propose, refuseRun } from '../support/deviations/propose.ts';
import { DEVIATIONS, findDeviation, registryOf } from '../support/deviations/registry.ts';
import { runOnLoopback, runVitest, tail } from '../support/loopback/child-run.ts';
import { verdictsFile } from '../support/paths.ts';
import { readRunRecord, type RunRecord, type TestEntry } from '../support/report/run-record.ts';
import { gate } from './gate.ts';
import { pins } from './pins.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pins-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function record(tests: TestEntry[], run: Partial<RunRecord['run']> = {}): RunRecord {
  return {
    version: 1,
    run: { id: 'run-1', kind: 'target', project: 'contract', mode: 'live', targets: ['gateway'], hosts: { gateway: '127.0.0.1:1' }, startedAt: '2026-12-01T00:00:00.000Z', finishedAt: '2026-12-01T00:01:00.000Z', served: {}, checksToken: {}, versions: {}, retired: [], notices: [], plan: {}, ...run },
    tests,
  };
}

const changed = (over: Partial<NonNullable<TestEntry['verdict']>>): TestEntry => ({
  name: `DOC-03 /text-to-image … [gateway]`,
  file: 'specs/validation.spec.ts',
  state: 'fail',
  verdict: { check: 'DOC-03', subject: 'gateway', pipeline: 'text-to-image', case: 'missing field', outcome: 'changed', headline: 'changed: …', requests: 1, interactions: [], ...over },
});

describe('a proposal', () => {
  test('pins the observed answer exactly: the status, and the error dialect with its text', () => {
    const o = (json: unknown, status = 400) => ({ method: 'POST', path: '/text-to-image', status, json });
    expect(bodyShape(o({ errors: ['Too many AI requests'] }, 429), 'studio', 'text-to-image')).toEqual({ kind: 'studio-errors', messages: ['Too many AI requests'] });
    expect(bodyShape(o({ error: { message: 'prompt is required' } }), 'gateway', 'text-to-image')).toEqual({ kind: 'gateway-error', message: 'prompt is required' });
    expect(bodyShape(o({ detail: { msg: 'Invalid bearer token.' } }, 401), 'runner', 'text-to-image')).toEqual({ kind: 'runner-msg', message: 'Invalid bearer token.' });
    expect(bodyShape(o({ detail: [{ type: 'missing', loc: ['body', 'prompt'], msg: 'Field required', input: {} }] }, 422), 'runner', 'text-to-image')).toEqual({ kind: 'fastapi-detail', items: [{ type: 'missing', loc: ['body', 'prompt'] }] });
    expect(bodyShape(o({ images: [{ url: 'https://x/y.png', seed: 1, nsfw: false }] }, 200), 'gateway', 'text-to-image')).toEqual({ kind: 'model', model: 'ImageResponse' });
    expect(bodyShape({ method: 'GET', path: '/text-to-image', status: 404, text: '404 page not found\n' }, 'gateway', 'text-to-image')).toEqual({ kind: 'plain-text', text: '404 page not found\n' });
  });

  test('a new behaviour where a code pin exists replaces it, old and new side by side; the code pin is withdrawn only where nothing else is judged by it', () => {
    const pin = findDeviation('DOC-03', 'gateway', 'text-to-image', 'missing field')!;
    expect(pin).toBeDefined();
    const observed = { method: 'POST', path: '/text-to-image', status: 400, json: { error: { message: 'prompt is required' } } };
    const p = propose(record([changed({ pin: pin.id, observed })]), DEVIATIONS, {});
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({ kind: 'replaces', old: { id: pin.id, summary: pin.pinned.summary }, pin: { pinned: { status: 400, body: { kind: 'gateway-error', message: 'prompt is required' } }, replaces: pin.id, seenIn: { run: 'run-1', host: '127.0.0.1:1', mode: 'live' } } });
    const judgedElsewhere = DEVIATIONS.filter((d) => d.id === pin.id)[0]!.pipelines !== 'all' && (pin.pipelines as readonly string[]).length > 1;
    expect(p.files.gateway!.withdrawn.map((w) => w.id)).toEqual(judgedElsewhere ? [] : [pin.id]);
  });

  test('a stale pin is withdrawn; a result that is no verdict, a client check and an SDK row are refused with why', () => {
    const pin = findDeviation('DOC-03', 'gateway', 'text-to-image', 'missing field')!;
    const p = propose(
      record([
        changed({ pin: pin.id, stale: true }),
        changed({ outcome: 'no answer', headline: 'no answer from gateway: timeout (TimeoutError) on POST …' }),
        changed({ outcome: 'rate limited', headline: 'rate limited: …' }),
        { ...changed({ check: 'SDK-02', observed: { method: 'POST', path: '/x', status: 500, json: {} } }), name: 'sdk' },
      ]),
      DEVIATIONS,
      {},
    );
    expect(p.changes.map((c) => [c.kind, c.old?.id])).toEqual([['withdraws', pin.id]]);
    expect(p.files.gateway!.withdrawn[0]).toMatchObject({ id: pin.id, seenIn: { run: 'run-1' } });
    expect(p.refused.map((r) => r.why)).toEqual([
      expect.stringMatching(/^its result is "no answer", no verdict on the contract/),
      expect.stringMatching(/^its result is "rate limited", no verdict on the contract/),
      expect.stringMatching(/^SDK-02 pins what the SDK makes of an answer too/),
    ]);
  });

  test('a replay run, a self-check run and a run that stopped are refused whole', () => {
    expect(refuseRun(record([], { mode: 'replay' }))).toMatch(/is a replay: it judged the cassettes, not a target/);
    expect(refuseRun(record([], { kind: 'self-check', project: 'live-loopback-gateway' }))).toMatch(/is a self-check \(the suite against its own loopback servers, project live-loopback-gateway\)/);
    expect(refuseRun({ ...record([]), stopped: 'Preflight: no answer from gateway' })).toMatch(/stopped before any spec/);
    expect(refuseRun(record([]))).toBeUndefined();
  });
});

describe('pins as data', () => {
  test('a data pin overrides the code pin of its check, target, pipeline and case; a withdrawal removes one; a bad file is a setup problem', () => {
    const fixtures = join(tmp, 'registry');
    const code = findDeviation('DOC-03', 'gateway', 'text-to-image', 'missing field')!;
    const observed = { method: 'POST', path: '/text-to-image', status: 400, json: { error: { message: 'prompt is required' } } };
    const p = propose(record([changed({ pin: code.id, observed })]), DEVIATIONS, {});
    writePinsFile(fixtures, p.files.gateway!);
    const r = registryOf(fixtures);
    expect(r.problems).toEqual([]);
    const now = findDeviation('DOC-03', 'gateway', 'text-to-image', 'missing field', r.entries)!;
    expect(now.id).not.toBe(code.id);
    expect(now.from).toBe(pinsPath(fixtures, 'gateway'));
    expect(now.pinned.body!.safeParse({ error: { message: 'prompt is required' } }).success).toBe(true);
    expect(now.pinned.body!.safeParse({ error: { message: 'prompt is required!' } }).success).toBe(false);

    const bad: PinsFile = { ...readPinsFile(fixtures, 'gateway')!, withdrawn: [{ id: 'no-such-pin', evidence: ['x'], seenIn: p.files.gateway!.entries[0]!.seenIn }] };
    writePinsFile(fixtures, bad);
    expect(registryOf(fixtures).problems).toEqual([expect.stringMatching(/withdraws "no-such-pin", which is no pin in support\/deviations\//)]);
    writeFileSync(pinsPath(fixtures, 'gateway'), '{"pins":1,');
    expect(registryOf(fixtures).problems).toEqual([expect.stringMatching(/gateway\.json: not valid JSON/)]);
  });
});

// ---------------------------------------------------------------------------------------------
// End to end

const FILES = ['specs/connectivity.spec.ts', 'specs/validation.spec.ts'];
const E2E_TIMEOUT = 600_000;
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=pins-test', '-c', 'user.email=pins-test@localhost', ...args], { cwd, encoding: 'utf8' });

/** Alters one interaction's answer in a cassette of the copy. */
function plant(fixtures: string, area: string, id: string, response: object): void {
  const file = join(fixtures, 'cassettes', 'gateway', `${area}.json`);
  const c = JSON.parse(readFileSync(file, 'utf8')) as { interactions: { id: string; response: object }[] };
  const i = c.interactions.find((x) => x.id === id);
  if (!i) throw new Error(`${file} has no interaction ${id}`);
  i.response = response;
  writeFileSync(file, `${JSON.stringify(c, null, 2)}\n`);
}

describe('the review loop on a loopback gateway', () => {
  test('live run fails on two planted changes → propose → gate fails until committed → next live run passes → record and replay pass', { timeout: E2E_TIMEOUT }, async () => {
    const repo = join(tmp, 'repo');
    const fixtures = join(repo, 'fixtures');
    cpSync('fixtures', fixtures, { recursive: true });
    // The planted changes: a status (GET answers 404 instead of 200) and a message text.
    plant(fixtures, 'connectivity', 'get-text-to-image', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: { kind: 'text', text: '404 page not found\n' } });
    plant(fixtures, 'validation', 'doc03-text-to-image', { status: 400, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: { error: { message: 'prompt is required' } } } });
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'fixtures with two planted changes');

    const live = async (name: string, mode: 'live' | 'record' = 'live') => {
      const reports = join(tmp, name);
      const { run } = await runOnLoopback({ target: 'gateway', mode, serverFixtures: fixtures, files: FILES, timeoutMs: E2E_TIMEOUT, vars: { LIVEPEER_FIXTURES_DIR: fixtures, LIVEPEER_REPORTS_DIR: reports } });
      return { run, reports, env: { LIVEPEER_REPORTS_DIR: reports, LIVEPEER_FIXTURES_DIR: fixtures } };
    };
    const out = (f: (env: Record<string, string>, print: (s: string) => void) => number, env: Record<string, string>) => {
      const lines: string[] = [];
      const code = f(env, (s) => lines.push(s));
      return { code, text: lines.join('\n') };
    };

    const first = await live('first');
    expect(first.run.code, tail(first.run)).not.toBe(0);
    const changedNow = readRunRecord(verdictsFile(first.reports)).tests.filter((t) => t.verdict?.outcome === 'changed');
    expect(changedNow.map((t) => t.verdict!.check).sort()).toEqual(['DOC-01', 'DOC-03']);
    expect(first.run.stdout + first.run.stderr).toContain('to propose a pin from what gateway answered: npm run pins -- --propose');

    const proposed = out((env, print) => pins(env, print, ['--propose']), first.env);
    expect(proposed.code, proposed.text).toBe(0);
    expect(proposed.text).toMatch(/replaces gateway-doc01-200-empty \(gateway\):\n\s+old: 200[^\n]*\n\s+new: 404 "404 page not found\\n"/);
    expect(proposed.text).toMatch(/replaces [a-z0-9-]+ \(gateway\):\n\s+old: [^\n]*\n\s+new: 400 \{"error":\{"message":"prompt is required"\}\}/);
    const gated = out((env, print) => gate(env, print, []), first.env);
    expect(gated.code).toBe(1);
    // Two pins, and the withdrawal of the code pin the message change replaces on its only pipeline.
    expect(gated.text).toMatch(/pins: 3 proposal\(s\) waiting for review in \S+ \(git diff \S+, then commit\): seen-gateway-doc01-text-to-image-get, seen-gateway-doc03-text-to-image-missing-field, withdraw gateway-doc03-prompt-from-runner-400/);

    // Not committed: the run judges with them, and the gate still fails, naming them.
    const unreviewed = await live('unreviewed');
    expect(unreviewed.run.code, tail(unreviewed.run)).toBe(0);
    const stillFails = out((env, print) => gate(env, print, []), unreviewed.env);
    expect(stillFails.code, stillFails.text).toBe(1);
    expect(stillFails.text).toMatch(/the run judged with 3 pin\(s\) not committed yet/);

    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'pins proposed from the live run');
    const next = await live('next');
    expect(next.run.code, tail(next.run)).toBe(0);
    const passes = out((env, print) => gate(env, print, []), next.env);
    expect(passes.code, passes.text).toBe(0);
    expect(passes.text).toMatch(/pins: 0 proposal\(s\) waiting for review/);

    // A recording made with the pins, replayed from the copy: passes too.
    const recorded = await live('recorded', 'record');
    expect(recorded.run.code, tail(recorded.run)).toBe(0);
    const replay = await runVitest(['--project', 'contract', ...FILES], { LIVEPEER_TEST_MODE: 'replay', LIVEPEER_TARGET: 'gateway', LIVEPEER_FIXTURES_DIR: fixtures, LIVEPEER_REPORTS_DIR: join(tmp, 'replay') }, E2E_TIMEOUT);
    expect(replay.code, tail(replay)).toBe(0);
    expect(readRunRecord(verdictsFile(join(tmp, 'replay'))).tests.filter((t) => t.verdict?.pin?.startsWith('seen-')).length).toBe(2);

    // And a proposal from that replay run is refused, saying why.
    const fromReplay = out((env, print) => pins(env, print, ['--propose']), { LIVEPEER_REPORTS_DIR: join(tmp, 'replay'), LIVEPEER_FIXTURES_DIR: fixtures });
    expect(fromReplay.code).toBe(1);
    expect(fromReplay.text).toMatch(/refused — run [\w-]+ is a replay: it judged the cassettes, not a target/);
  });
});
