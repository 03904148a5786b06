// What a live or record run really sent, counted from the slots its workers took (paid requests,
// requests the rate limiter counts, resends after a 429), beside what it planned before it started:
// the run's last lines say both, so a plan that no longer fits the specs shows at once.
import type { Config } from '../config.ts';
import { countPaid } from '../modes/paid-budget.ts';
import { countResends, countSent } from '../modes/rate-pacer.ts';
import { paidDir, pacerDir } from '../paths.ts';
import type { RunRecord } from './run-record.ts';

export type Sent = NonNullable<RunRecord['sent']>;

/** Per target of a run against one target (live, record): replay sends nothing that is paid for. */
export function sentByRun(config: Pick<Config, 'mode' | 'targets' | 'reportsDir'>): Sent | undefined {
  if (config.mode === 'replay' || config.targets.length !== 1) return undefined;
  const target = config.targets[0]!;
  const dir = pacerDir(config.reportsDir, target);
  return { [target]: { paid: countPaid(paidDir(config.reportsDir)), counted: countSent(dir), resent: countResends(dir) } };
}

/** One line per target: planned and sent, paid and counted, and what differs. */
export function describeSent(plan: RunRecord['run']['plan'], sent: Sent, limited: Readonly<Partial<Record<string, number>>>): string[] {
  return Object.entries(sent).map(([target, s]) => {
    const p = plan[target] ?? { paid: 0, counted: 0 };
    const counted = limited[target] !== undefined ? `; counted by its rate limit: planned ${p.counted}, sent ${s.counted}${s.resent ? ` (${s.resent} of them again after a 429)` : ''}` : '';
    const off = s.paid !== p.paid || (limited[target] !== undefined && s.counted - s.resent !== p.counted) ? ' — differs from the plan: some checks were skipped or sent what the plan does not list' : '';
    return `sent: ${target}: requests that run a model: planned ${p.paid}, sent ${s.paid}${counted}${off}`;
  });
}
