// `npm run pins -- --propose`: turns the last live or record run's `changed` verdicts into proposed
// pins in `<fixtures>/pins/<target>.json` (support/deviations/propose.ts), printing each change
// with old and new side by side. Review them with `git diff <fixtures>/pins`, commit, run again.
// It never touches a run's verdicts, and refuses a replay run, a self-check run and any result that
// is no verdict on the contract, saying why.
// `npm run pins`: the data pins there are, and the proposals not committed yet.
import { parseArgs } from 'node:util';
import { TARGET_IDS, type TargetId } from '../support/catalogue.ts';
import { loadPinsFiles, PinsFileError, pinsDir, readPinsFile, writePinsFile, type PinsFile } from '../support/deviations/data-pins.ts';
import { waitingProposals } from '../support/deviations/pin-review.ts';
import { describeProposal, propose, refuseRun } from '../support/deviations/propose.ts';
import { registryOf } from '../support/deviations/registry.ts';
import { verdictsFile } from '../support/paths.ts';
import { readRunRecord, RunRecordError } from '../support/report/run-record.ts';
import { isEntry, reportsDirFromEnv } from './results.ts';

export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

const fixturesDirFrom = (env: Record<string, string | undefined>) => env.LIVEPEER_FIXTURES_DIR?.trim() || 'fixtures';

/** Runs the command; returns the exit code. Output goes through `print` so tests can read it. */
export function pins(env: Record<string, string | undefined> = process.env, print: (s: string) => void = console.log, argv: readonly string[] = process.argv.slice(2)): number {
  let values: { propose?: boolean };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { propose: { type: 'boolean' } }, strict: true }));
  } catch (err) {
    print(`pins: ${(err as Error).message}. Use: npm run pins [-- --propose]`);
    return EXIT.usage;
  }
  const fixturesDir = fixturesDirFrom(env);
  if (!values.propose) return status(fixturesDir, print);

  const file = verdictsFile(reportsDirFromEnv(env));
  let record;
  try {
    record = readRunRecord(file);
  } catch (err) {
    if (!(err instanceof RunRecordError)) throw err;
    print(`pins: refused — ${err.message}`);
    return EXIT.refused;
  }
  const why = refuseRun(record);
  if (why) {
    print(`pins: refused — ${why}.`);
    return EXIT.refused;
  }
  const registry = registryOf(fixturesDir);
  if (registry.problems.length) {
    print(`pins: refused — the pins already there are invalid:\n  - ${registry.problems.join('\n  - ')}`);
    return EXIT.refused;
  }
  const current: Partial<Record<TargetId, PinsFile>> = Object.fromEntries(TARGET_IDS.flatMap((t) => { const f = readPinsFile(fixturesDir, t); return f ? [[t, f]] : []; }));
  const proposal = propose(record, registry.entries, current);
  print(`pins: from ${record.run.mode} run ${record.run.id} against ${Object.entries(record.run.hosts).map(([t, h]) => `${t}=${h}`).join(' ')} (${file})`);
  for (const line of describeProposal(proposal)) print(`  ${line}`);
  if (proposal.changes.length === 0) {
    print(proposal.refused.length ? 'pins: nothing proposed: every result that failed was refused (above).' : 'pins: nothing to propose: no verdict of the run changed.');
    return proposal.refused.length ? EXIT.refused : EXIT.ok;
  }
  const written = Object.values(proposal.files).map((f) => writePinsFile(fixturesDir, f!));
  print(`pins: ${proposal.changes.length} change(s) proposed in ${written.join(', ')}. They judge nothing yet:`);
  print(`  1. review: git diff ${pinsDir(fixturesDir)}`);
  print(`  2. commit them, then run against the target again (the gate fails while they wait);`);
  print(`  3. record the target again (npm run record) so that replay agrees with what it answers.`);
  return EXIT.ok;
}

function status(fixturesDir: string, print: (s: string) => void): number {
  let files;
  try {
    files = loadPinsFiles(fixturesDir);
  } catch (err) {
    if (!(err instanceof PinsFileError)) throw err;
    print(`pins: ${err.message}`);
    return EXIT.refused;
  }
  if (files.length === 0) print(`pins: no data pins in ${pinsDir(fixturesDir)}: every pin is in support/deviations/. After a live run, npm run pins -- --propose.`);
  for (const { file, pins: p } of files) print(`pins: ${file}: ${p.entries.length} pin(s), ${p.withdrawn.length} withdrawal(s)`);
  const waiting = waitingProposals(fixturesDir);
  if (waiting.length) print(`pins: ${waiting.length} proposal(s) waiting for review (not committed): ${waiting.join(', ')} — git diff ${pinsDir(fixturesDir)}`);
  return EXIT.ok;
}

if (isEntry(import.meta.url)) process.exitCode = pins();
