// LIVEPEER_MAX_PAID_REQUESTS is exact across workers: budgets sharing one folder (as the workers
// of one run do) take distinct slots, and the request past the cap is refused with the fix named.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { paidRequests, PaidBudget } from './paid-budget.ts';
import type { RequestSpec } from '../http/wire.ts';

const spec = (path: string): RequestSpec => ({ method: 'POST', path, body: { kind: 'json', value: {} }, auth: 'none', paid: true });

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paid-budget-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('the paid-request budget', () => {
  test('two budgets on one folder share the cap exactly, and the request past it is refused', () => {
    const dir = scratch();
    const a = new PaidBudget(dir, 3, true);
    const b = new PaidBudget(dir, 3, true);
    a.take(spec('/text-to-image'));
    b.take(spec('/upscale'));
    a.take(spec('/llm'));
    expect(() => b.take(spec('/image-to-video'))).toThrow(/LIVEPEER_MAX_PAID_REQUESTS=3 reached: POST \/image-to-video was not sent\. Raise the cap/);
    expect(() => a.take(spec('/image-to-video'))).toThrow(/LIVEPEER_MAX_PAID_REQUESTS=3 reached/);
    const slots = readdirSync(dir).sort();
    expect(slots).toEqual(['paid-00000', 'paid-00001', 'paid-00002']);
    expect(slots.map((s) => readFileSync(join(dir, s), 'utf8'))).toEqual([expect.stringMatching(/^POST \/text-to-image [0-9a-f]{16}\n$/), expect.stringMatching(/^POST \/upscale [0-9a-f]{16}\n$/), expect.stringMatching(/^POST \/llm [0-9a-f]{16}\n$/)]);
    // The same request twice is the same line: how a run's duplicates are counted (npm run bench).
    expect(new Set(paidRequests(dir)).size).toBe(3);
  });

  test('a budget that joins late starts after the slots others took', () => {
    const dir = scratch();
    const early = new PaidBudget(dir, 2, true);
    early.take(spec('/text-to-image'));
    early.take(spec('/text-to-image'));
    expect(() => new PaidBudget(dir, 2, true).take(spec('/upscale'))).toThrow(/LIVEPEER_MAX_PAID_REQUESTS=2 reached/);
  });

  test('in replay nothing is paid: the count goes on past the cap', () => {
    const dir = scratch();
    const budget = new PaidBudget(dir, 1, false);
    for (let i = 0; i < 5; i++) budget.take(spec('/text-to-image'));
    expect(readdirSync(dir)).toHaveLength(5);
  });

  test('a new run that clears the folder gets the whole cap again in the same process', () => {
    const dir = scratch();
    const budget = new PaidBudget(dir, 2, true);
    budget.take(spec('/text-to-image'));
    budget.take(spec('/text-to-image'));
    rmSync(dir, { recursive: true, force: true });
    const again = new PaidBudget(dir, 2, true);
    again.take(spec('/upscale'));
    again.take(spec('/upscale'));
    expect(readdirSync(dir).sort()).toEqual(['paid-00000', 'paid-00001']);
  });
});
