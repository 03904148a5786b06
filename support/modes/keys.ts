// Which key the suite sends to a target, one answer for every caller (session, preflight, diagnose):
// - live and record: the configured key, to the targets that check one: Studio always, a runner
//   when it checks a token (AUTH_TOKEN, as the preflight found). A gateway checks none
//   (contract-notes §5), so sending it there would hand the user's Studio key to whoever runs that
//   gateway, and record `bearer` where replay and every authored gateway cassette have `absent`.
// - replay: a placeholder, to the targets whose cassettes were made with a key (`bearer`).
import { TARGETS, type TargetId } from '../catalogue.ts';
import type { Config } from '../config.ts';
import type { LoadedCassette } from './cassettes.ts';

/** The key the client sends in replay where cassettes hold `bearer` requests: not a secret. */
export const REPLAY_KEY = 'replay-placeholder-key';

/** Whether the user's key may go to this target at all. */
export const takesKey = (target: TargetId): boolean => TARGETS[target].auth !== 'none';

/** Whether a target's cassettes were made with a key. */
export const recordedWithKey = (cassettes: readonly LoadedCassette[], target: TargetId): boolean =>
  cassettes.some((c) => c.target === target && c.interactions.some((i) => i.request.auth === 'bearer'));

/**
 * The key sent for `auth: 'key'` on a target, in the run's mode. `checksToken`: for a target that
 * may check one, whether it does (unknown, as before the preflight has asked: it gets the key).
 */
export function keyFor(config: Pick<Config, 'mode' | 'apiKey'>, target: TargetId, known: { cassettes?: readonly LoadedCassette[]; checksToken?: boolean } = {}): string | undefined {
  if (config.mode === 'replay') return recordedWithKey(known.cassettes ?? [], target) ? REPLAY_KEY : undefined;
  if (!takesKey(target)) return undefined;
  return TARGETS[target].auth === 'required' || known.checksToken !== false ? config.apiKey : undefined;
}
