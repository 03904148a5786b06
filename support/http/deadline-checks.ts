// DOC-14's observations of the suite's own client ("set a global timeout on every request; 300 s
// is recommended for cold models"): a property of client code, judged once (the `suite` column).
// Each observes the real send path on 127.0.0.1, never a configuration value compared with
// itself: the deadline a paid request is really sent with, and what happens when a server accepts
// the request and never answers. A self-test runs them against planted faults.
import { vi } from 'vitest';
import { z } from 'zod';
import type { Timeouts } from '../config.ts';
import { fieldsEqual, type Expectation } from '../schemas/expectations.ts';
import { ApiClient, installDispatcher } from './client.ts';
import { listenLocally } from './loopback-http.ts';
import type { RequestSpec } from './wire.ts';

/** The production checklist's recommended global timeout (DOC-14). */
export const DOCUMENTED_GLOBAL_TIMEOUT_MS = 300_000;

/** A request that runs a model, as the deadline checks send it (to 127.0.0.1 only). */
export const PAID_PROBE: RequestSpec = { method: 'POST', path: '/text-to-image', body: { kind: 'json', value: { prompt: 'test' } }, auth: 'none', paid: true };

export type ClientFactory = (baseUrl: string, timeouts: Timeouts) => ApiClient;
const suiteClient: ClientFactory = (baseUrl, timeouts) => new ApiClient({ target: 'runner', baseUrl, timeouts });

/** Runs `fn`, then puts the run's own dispatcher back: a probe client must not leave its bounds on the worker. */
async function withRunDispatcher<T>(run: Timeouts, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    installDispatcher(run);
  }
}

/** The deadline the client really sends a paid request with: what it hands AbortSignal.timeout. */
export async function observePaidDeadline(run: Timeouts, client: ClientFactory = suiteClient): Promise<{ deadlineMs: number | undefined }> {
  const server = await listenLocally((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  const spy = vi.spyOn(AbortSignal, 'timeout');
  try {
    await withRunDispatcher(run, () => client(server.url, run).send(PAID_PROBE));
    return { deadlineMs: spy.mock.calls.at(-1)?.[0] };
  } finally {
    spy.mockRestore();
    await server.close();
  }
}

export const documentedPaidDeadline: Expectation = {
  summary: `a request that runs a model is sent with the documented ${DOCUMENTED_GLOBAL_TIMEOUT_MS / 1000} s global timeout`,
  client: fieldsEqual({ deadlineMs: DOCUMENTED_GLOBAL_TIMEOUT_MS }),
};

/** Short deadlines for the silent-server check: the client's behaviour, not the configured values, is what it judges. */
export const PROBE_TIMEOUTS: Timeouts = { connectMs: 1_000, checkMs: 200, generationMs: 400 };

export interface SilentCut {
  /** How the request ended: the client's timeout, an answer, an error, or still waiting when the guard gave up. */
  ended: 'timeout' | 'answer' | 'error' | 'still waiting';
  message?: string;
}

/**
 * Sends a paid request to a server that reads it and never answers. The guard (the deadline plus
 * a second) bounds the check itself: a client without a deadline shows as `still waiting`, it
 * does not hang the run.
 */
export async function observeSilentCut(run: Timeouts, client: ClientFactory = suiteClient, probe: Timeouts = PROBE_TIMEOUTS): Promise<SilentCut> {
  const server = await listenLocally((req) => req.resume());
  let guard: NodeJS.Timeout | undefined;
  try {
    const still = new Promise<SilentCut>((resolve) => {
      guard = setTimeout(() => resolve({ ended: 'still waiting' }), probe.generationMs + 1_000);
    });
    const sent = withRunDispatcher(run, () => client(server.url, probe).send(PAID_PROBE)).then(
      (x): SilentCut => (x.response ? { ended: 'answer' } : { ended: x.error?.kind === 'timeout' ? 'timeout' : 'error', message: x.error?.message }),
    );
    return await Promise.race([sent, still]);
  } finally {
    clearTimeout(guard);
    await server.close();
  }
}

export const documentedSilentCut = (probe: Timeouts = PROBE_TIMEOUTS): Expectation => {
  const seconds = probe.generationMs / 1000;
  return {
    summary: `a target that never answers is cut at the deadline (${seconds} s here) with "no response after ${seconds} s … npm run diagnose"`,
    client: z.object({
      ended: z.literal('timeout', { error: 'expected the client to end the request at its deadline' }),
      message: z.string().startsWith(`no response after ${seconds} s`).includes('npm run diagnose'),
    }),
  };
};
