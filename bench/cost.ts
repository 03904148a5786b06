// Benchmark 6: what a full live run costs per target. Paid requests (they run a model, and cost
// money on Studio) and requests the target's rate limiter counts, three ways:
//   - before: every check sending its own copy of the successful request it judges, as the suite
//     did before issue 16 (DOC-10, DOC-15, DOC-09 and SDK-01 each; issue 16 measured 52 on studio);
//   - planned: the run's plan (support/run/plan.ts), with a cold model set (DOC-07's attempts);
//   - sent: a full live run on loopback (no cold model), counted from the slots its workers took,
//     with the duplicates among its paid requests (same method, path, credential and body).
// Goal (issue 16): no duplicate paid request in a run, and studio's paid plan about 30 besides
// DOC-07's retries, at most 3 minutes waiting on Studio's limit.
import { PIPELINES, TARGET_IDS, type TargetId } from '../support/catalogue.ts';
import { loadConfig } from '../support/config.ts';
import { successVariants } from '../support/data/success-requests.ts';
import { runOnLoopback } from '../support/loopback/child-run.ts';
import { LOOPBACK_KEY, loopbackNeedsKey } from '../support/loopback/env.ts';
import { paidRequests } from '../support/modes/paid-budget.ts';
import { paidDir, verdictsFile } from '../support/paths.ts';
import { readRunRecord } from '../support/report/run-record.ts';
import { leastWallMs, plan } from '../support/run/plan.ts';
import { servedOn } from '../support/run/served.ts';
import { removeDir, tempDir } from './lib.ts';

export interface TargetCost {
  before: { paid: number; counted: number };
  planned: { paid: number; counted: number; withoutRetries: number };
  sent?: { paid: number; counted: number; duplicates: number; exit: number | null; ms: number };
  /** The least time the plan spends waiting on the target's rate limit, at its default limit. */
  leastWaitMs: number;
}
export type CostBench = Record<TargetId, TargetCost>;

/** Copies of the successful request the four checks used to send each: one per variant, less the one DOC-15 still sends. */
function copiesBefore(target: TargetId): number {
  return servedOn({}, target, 'http://x')
    .pipelines.map((id) => PIPELINES[id])
    .reduce((n, p) => {
      const variants = successVariants(p.id);
      const sdk01 = variants.length;
      const doc09 = p.warmModel ? variants.filter((v) => !v.stream).length : 0;
      const doc10 = p.id === 'text-to-image' ? 1 : 0;
      return n + sdk01 + doc09 + doc10;
    }, 0);
}

export async function benchCost(log: (line: string) => void, live = true): Promise<CostBench> {
  const out = {} as CostBench;
  for (const target of TARGET_IDS) {
    const config = loadConfig({ LIVEPEER_TEST_MODE: 'live', LIVEPEER_TARGET: target, LIVEPEER_API_KEY: 'bench', LIVEPEER_COLD_MODEL: 'lp-contract-suite/cold' });
    const p = plan(config, { served: { [target]: servedOn({}, target, 'http://x') }, retired: [] })[target]!;
    const counted = config.rateLimits[target] !== undefined;
    const copies = copiesBefore(target);
    const cost: TargetCost = {
      before: { paid: p.paid + copies, counted: counted ? p.counted + copies : 0 },
      // DOC-07 may send its request up to 6 times (the snippet's retries): the rest is sent once.
      planned: { paid: p.paid, counted: p.counted, withoutRetries: p.paid - p.requests.filter((r) => r.check === 'DOC-07').reduce((n, r) => n + r.sends - 1, 0) },
      leastWaitMs: leastWallMs(config.rateLimits[target], p.counted),
    };
    if (live) {
      const reports = tempDir(`cost-${target}`);
      try {
        const key = loopbackNeedsKey('fixtures', target) ? LOOPBACK_KEY : undefined;
        const { run } = await runOnLoopback({
          target,
          mode: 'live',
          ...(key ? { server: { validKeys: [key] } } : {}),
          timeoutMs: 600_000,
          vars: { LIVEPEER_REPORTS_DIR: reports, ...(key ? { LIVEPEER_API_KEY: key } : {}) },
        });
        const sent = readRunRecord(verdictsFile(reports)).sent?.[target];
        const paid = paidRequests(paidDir(reports));
        cost.sent = { paid: sent?.paid ?? paid.length, counted: sent?.counted ?? 0, duplicates: paid.length - new Set(paid).size, exit: run.code, ms: run.ms };
        log(`  ${target}: live on loopback, ${cost.sent.paid} paid, ${cost.sent.duplicates} duplicate(s), exit ${run.code} (${(run.ms / 1000).toFixed(1)} s)`);
      } finally {
        removeDir(reports);
      }
    }
    out[target] = cost;
  }
  return out;
}

export const COST_GOAL = { studioPaidBesidesRetries: 30, duplicates: 0, studioWaitMs: 180_000 } as const;

/** Whether the run meets issue 16's goal. */
export function costMet(c: CostBench): boolean {
  const s = c.studio;
  const dup = TARGET_IDS.every((t) => (c[t].sent?.duplicates ?? 0) <= COST_GOAL.duplicates);
  return dup && s.planned.withoutRetries <= COST_GOAL.studioPaidBesidesRetries && s.leastWaitMs <= COST_GOAL.studioWaitMs;
}
