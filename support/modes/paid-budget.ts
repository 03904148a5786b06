// Paid requests (those that run a model, and cost money live) counted across the workers of a
// run, and capped at LIVEPEER_MAX_PAID_REQUESTS.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestSpec } from '../http/wire.ts';
import { requestBodyFromSpec, requestKey } from './cassettes.ts';

/** Which request a slot paid for: method, path, and a digest of the whole request (credential and body). */
const slotLine = (spec: RequestSpec) =>
  `${spec.method} ${spec.path} ${createHash('sha256').update(requestKey({ method: spec.method, path: spec.path, auth: spec.auth, body: requestBodyFromSpec(spec.body) })).digest('hex').slice(0, 16)}\n`;

/** The requests the budgets on this folder paid for, one line each (slotLine). */
export function paidRequests(dir: string): string[] {
  const out: string[] = [];
  for (let n = 0; existsSync(join(dir, `paid-${String(n).padStart(5, '0')}`)); n++) out.push(readFileSync(join(dir, `paid-${String(n).padStart(5, '0')}`), 'utf8').trim());
  return out;
}

/**
 * Paid requests are counted across workers with one exclusive file per slot: taking slot N is
 * atomic, so the cap holds exactly however many workers run.
 */
/** How many paid requests the budgets on this folder let through. */
export const countPaid = (dir: string): number => paidRequests(dir).length;

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
        writeFileSync(this.slotPath(slot), slotLine(spec), { flag: 'wx' });
        PaidBudget.next.set(this.dir, slot + 1);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    throw new Error(`LIVEPEER_MAX_PAID_REQUESTS=${this.cap} reached: ${spec.method} ${spec.path} was not sent. Raise the cap to run more paid checks.`);
  }
}

