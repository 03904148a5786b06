// Benchmark 2: the DOC-08 retry schedule, simulated ÷ real. The documented policy (the docs'
// callWithRetry snippet, support/retry/retry.ts) meets six 503s: five waits, 5000 + 7500 + 11250 +
// 16875 + 25312.5 = 65 937.5 ms of backoff. The waits go to an injected sleep that only advances
// a fake clock, as the suite's specs do; the real time is what the loop itself costs.
// (bench/suite.ts reads the same ratio for the DOC-08 spec tests from their Allure results.)
import { documentedSchedule, retryWithPolicy, SNIPPET_POLICY, type AttemptOutcome } from '../support/retry/retry.ts';
import { intOption, isMain, median } from './lib.ts';

export interface RetryBench {
  /** Backoff one policy run simulates. */
  simulatedMs: number;
  /** Median real time of one policy run. */
  realMs: number;
  ratio: number;
  /** The very first run in the process, before the JIT has seen the loop. */
  coldMs: number;
  iterations: number;
  rounds: number;
}

const unavailable: AttemptOutcome = { response: { status: 503, headers: {} } };

async function oneRun(): Promise<number> {
  let fakeNow = 0;
  const result = await retryWithPolicy(async () => unavailable, SNIPPET_POLICY, {
    clock: () => fakeNow,
    sleep: async (ms) => {
      fakeNow += ms;
    },
  });
  if (result.ending !== 'gave up' || result.attempts.length !== 6) throw new Error(`unexpected retry result: ${result.reason}`);
  return result.totalWaitMs;
}

export async function benchRetry(rounds: number, iterations = 2_000): Promise<RetryBench> {
  const expected = documentedSchedule().reduce((a, b) => a + b, 0);
  const coldStart = performance.now();
  await oneRun();
  const coldMs = performance.now() - coldStart;
  for (let i = 0; i < 200; i++) await oneRun(); // warm-up: JIT
  const perRun: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    for (let i = 0; i < iterations; i++) {
      const simulated = await oneRun();
      if (simulated !== expected) throw new Error(`simulated ${simulated} ms, expected ${expected} ms`);
    }
    perRun.push((performance.now() - started) / iterations);
  }
  const realMs = median(perRun);
  return { simulatedMs: expected, realMs, ratio: expected / realMs, coldMs, iterations, rounds };
}

if (isMain(import.meta.url)) {
  const rounds = intOption(process.argv, 'runs', 'BENCH_RUNS', 5);
  console.log(JSON.stringify(await benchRetry(rounds)));
}
