// Registry and fixture hygiene, checked on the record of a full run (pitfalls.md 8 and 10): a
// deviation no check was judged against, a cassette interaction that answered no request (an
// orphan), a documented behaviour with no spec for a subject — each is a failure that names the
// entry, file or cell.
import { CHECK_IDS, CHECKS, subjectsOf } from '../catalogue.ts';
import type { Deviation } from '../deviations/types.ts';
import type { LoadedCassette } from '../modes/cassettes.ts';
import type { RunRecord } from '../report/run-record.ts';

export interface HygieneInput {
  registry: readonly Deviation[];
  /** The run's record: what each test declared and the verdict it left. */
  record: RunRecord;
  /** Cassettes the run replayed (every interaction must have answered some request). */
  cassettes: readonly LoadedCassette[];
}

export function hygieneProblems(input: HygieneInput): string[] {
  const { record } = input;
  const problems: string[] = [];
  const verdicts = record.tests.flatMap((t) => (t.verdict ? [t.verdict] : []));

  // Only replay runs every case (live and record skip what a real network cannot be made to do,
  // such as a chosen cold state or a 500 on demand), so only replay can prove an entry unused.
  if (record.run.mode === 'replay') {
    const exercised = new Set(verdicts.flatMap((v) => (v.pin ? [v.pin] : [])));
    const columns = new Set<string>([...record.run.targets, 'suite']);
    for (const d of input.registry) {
      // An entry for a fact this run does not have (a runner with a token, say) cannot be exercised here.
      if (d.when && (record.run.checksToken[d.target] ?? false) !== d.when.checksToken) continue;
      if (columns.has(d.target) && !exercised.has(d.id)) {
        problems.push(`deviation "${d.id}" (${d.check} on ${d.target}) was exercised by no spec: remove it from support/deviations/, or add the spec it belongs to`);
      }
    }
    const used = new Set(verdicts.flatMap((v) => v.interactions));
    for (const c of input.cassettes) {
      for (const i of c.interactions) {
        if (!used.has(`${c.file}#${i.id}`)) problems.push(`cassette interaction ${c.file} #${i.id} (${i.request.method} ${i.request.path}) answered no spec: an orphan — delete it, or add the spec that sends this request`);
      }
    }
  }

  // Every check has a test (run or skipped with its reason) for each subject it speaks for.
  const declared = new Set(record.tests.flatMap((t) => (t.about ? [`${t.about.check} ${t.about.subject}`] : [])));
  for (const check of CHECK_IDS) {
    for (const subject of subjectsOf(check, record.run.targets)) {
      if (CHECKS[check].noSpec?.[subject]) continue;
      if (!declared.has(`${check} ${subject}`)) {
        problems.push(`${check} has no spec on ${subject}${subject === 'suite' ? ' (a check of the client code)' : ', which serves it'}: add one, or say why in the catalogue (noSpec.${subject} of ${check} in support/catalogue.ts)`);
      }
    }
  }
  return problems;
}
