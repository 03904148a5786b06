// Which targets get the configured key when the suite talks to a real target (live, record, and
// `npm run diagnose`): the ones that check one. A gateway checks none (contract-notes §5), so
// sending it there would hand the user's Studio key to whoever runs that gateway, and record
// `bearer` where replay and every authored gateway cassette have `absent`.
import { TARGETS, type TargetId } from '../catalogue.ts';
import type { Config } from '../config.ts';

export const liveKey = (config: Pick<Config, 'apiKey'>, target: TargetId): string | undefined =>
  TARGETS[target].auth === 'none' ? undefined : config.apiKey;
