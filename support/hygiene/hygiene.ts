// Registry and fixture hygiene, checked after a full run (pitfalls.md 8 and 10): a deviation no
// spec exercised, a cassette interaction no spec used (orphan), a documented behaviour with no
// spec on a target — each is a failure that names the entry, file or cell.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK_IDS, CHECKS, TARGET_IDS, type TargetId } from '../catalogue.ts';
import type { LoadedCassette } from '../modes/cassettes.ts';
import type { Deviation } from '../deviations/registry.ts';

/** What one spec file of one run left behind (written by Session.finish). */
export interface UsageRecord {
  area: string;
  mode: string;
  targets: TargetId[];
  fixturesDir: string;
  deviations: string[];
  interactions: string[];
}

export interface TestSeen {
  name: string;
  /** pass, fail, skip, … — a skipped test still declares that the cell exists. */
  state: string;
}

export interface HygieneInput {
  registry: readonly Deviation[];
  usage: readonly UsageRecord[];
  /** Cassettes the replay runs loaded (every interaction must have answered some spec). */
  cassettes: readonly LoadedCassette[];
  tests: readonly TestSeen[];
  /** Targets of the full runs. */
  targets: readonly TargetId[];
}

const targetOfName = (name: string): TargetId | undefined => {
  const m = /\[(studio|gateway|runner)\]\s*$/.exec(name);
  return m ? (m[1] as TargetId) : undefined;
};

export function hygieneProblems(input: HygieneInput): string[] {
  const problems: string[] = [];
  // Only replay runs every case (live and record skip what a real network cannot be made to do,
  // such as a chosen cold state or a 500 on demand), so only they can prove an entry unused.
  const replay = input.usage.filter((u) => u.mode === 'replay');
  const replayTargets = new Set(replay.flatMap((u) => u.targets));
  const exercised = new Set(replay.flatMap((u) => u.deviations));
  for (const d of input.registry) {
    if (replayTargets.has(d.target) && !exercised.has(d.id)) {
      problems.push(`deviation "${d.id}" (${d.doc} on ${d.target}) was exercised by no spec: remove it from support/deviations/, or add the spec it belongs to`);
    }
  }

  const used = new Set(replay.flatMap((u) => u.interactions));
  for (const c of input.cassettes) {
    for (const i of c.interactions) {
      if (!used.has(`${c.file}#${i.id}`)) problems.push(`cassette interaction ${c.file} #${i.id} (${i.request.method} ${i.request.path}) answered no spec: an orphan — delete it, or add the spec that sends this request`);
    }
  }

  for (const target of input.targets) {
    for (const doc of CHECK_IDS) {
      if (CHECKS[doc].noSpec?.[target]) continue;
      const covered = input.tests.some((t) => t.name.startsWith(`${doc} `) && targetOfName(t.name) === target);
      if (!covered) problems.push(`${doc} has no spec on ${target}, which serves it: add one, or say why in the catalogue (noSpec.${target} of ${doc} in support/catalogue.ts)`);
    }
  }
  return problems;
}

export function readUsage(reportsDir: string): UsageRecord[] {
  const dir = join(reportsDir, 'run', 'usage');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as UsageRecord);
}

export const isTarget = (t: string): t is TargetId => (TARGET_IDS as readonly string[]).includes(t);
