// The configuration of a live run against a loopback target, built from a fixed environment (never
// process.env, so a user's .env cannot point it elsewhere or hand it a real key).
import { join } from 'node:path';
import { selfCheckDir } from '../paths.ts';
import { TARGETS, type TargetId } from '../catalogue.ts';
import { loadCassettes } from '../modes/cassettes.ts';
import { loadConfig, type Config } from '../config.ts';
import { recordedWithKey } from '../modes/keys.ts';

/** The key live-on-loopback runs send: the loopback server accepts it. Not a secret. */
export const LOOPBACK_KEY = 'lp-contract-suite-loopback-key';

/** Whether the target's cassettes were made with a key: then the run sends LOOPBACK_KEY, as replay sends its placeholder. */
export function loopbackNeedsKey(fixturesDir: string, target: TargetId): boolean {
  return TARGETS[target].keyRequired || recordedWithKey(loadCassettes(fixturesDir, [target]), target);
}

export interface LoopbackRun {
  target: TargetId;
  url: string;
  statusUrl: string;
  fixturesDir: string;
  /** Base of the run's scratch space; each target gets its own folder under it. */
  reportsDir: string;
  /** The key to send (LOOPBACK_KEY where the target's cassettes were made with one). */
  key?: string;
}

/**
 * How fast time runs on loopback (LIVEPEER_RETRY_SCALE): documented waits a thousand times
 * faster; on Studio a hundred times, so that its rate limit's window (600 ms) is long against a
 * loopback request and the run's pacing is really exercised.
 */
export const loopbackRetryScale = (target: TargetId): number => (TARGETS[target].rateLimitPerMin ? 0.01 : 0.001);

export function loopbackConfig(run: LoopbackRun): Config {
  return loadConfig({
    LIVEPEER_TEST_MODE: 'live',
    LIVEPEER_TARGET: run.target,
    LIVEPEER_GATEWAY_URL: run.url,
    LIVEPEER_STATUS_URL: run.statusUrl,
    LIVEPEER_API_KEY: run.key,
    LIVEPEER_FIXTURES_DIR: run.fixturesDir,
    // Its verdicts and paid-request slots stay apart from the run against the targets: a
    // self-check never speaks for a target.
    LIVEPEER_REPORTS_DIR: join(selfCheckDir(run.reportsDir), run.target),
    // Loopback answers at once: small bounds keep a broken spec from stalling the run.
    LIVEPEER_CONNECT_TIMEOUT_MS: '2000',
    LIVEPEER_CHECK_TIMEOUT_MS: '5000',
    LIVEPEER_REQUEST_TIMEOUT_MS: '10000',
    LIVEPEER_RETRY_SCALE: String(loopbackRetryScale(run.target)),
    // Paid requests cost nothing here; the cap stays enforced, just out of the way.
    LIVEPEER_MAX_PAID_REQUESTS: '1000',
  });
}
