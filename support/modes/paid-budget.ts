// Paid requests (those that run a model, and cost money live) counted across the workers of a
// run, and capped at LIVEPEER_MAX_PAID_REQUESTS.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestSpec } from '../http/wire.ts';

/**
 * Paid requests are counted across workers with one exclusive file per slot: taking slot N is
 * atomic, so the cap holds exactly however many workers run.
 */
/** How many paid requests the budgets on this folder let through. */
export function countPaid(dir: string): number {
  let n = 0;
  while (existsSync(join(dir, `paid-${String(n).padStart(5, '0')}`))) n++;
  return n;
}

export class PaidBudget {
  /** Per folder, the slot after the last one this process took: slots are never given back. */
  private static readonly next = new Map<string, number>();

  constructor(
    private readonly dir: string,
    private readonly cap: number,
    private readonly enforced: boolean,
  ) {}

  private slotPath(slot: number): string {
    return join(this.dir, `paid-${String(slot).padStart(5, '0')}`);
  }


  /** Where to start looking: after this process's last slot, unless a new run cleared the folder. */
  private firstFree(): number {
    const next = PaidBudget.next.get(this.dir) ?? 0;
    return next > 0 && existsSync(this.slotPath(next - 1)) ? next : 0;
  }

  take(spec: RequestSpec): void {
    mkdirSync(this.dir, { recursive: true });
    const limit = this.enforced ? this.cap : Number.MAX_SAFE_INTEGER;
    for (let slot = this.firstFree(); slot < limit; slot++) {
      try {
        writeFileSync(this.slotPath(slot), `${spec.method} ${spec.path}\n`, { flag: 'wx' });
        PaidBudget.next.set(this.dir, slot + 1);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    throw new Error(`LIVEPEER_MAX_PAID_REQUESTS=${this.cap} reached: ${spec.method} ${spec.path} was not sent. Raise the cap to run more paid checks.`);
  }
}

