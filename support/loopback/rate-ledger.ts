// Studio's rate limiter on loopback (controllers/generate.ts L39-68, studio-observed.md §7): per
// user, at most `perMinute` requests whose start lies in the last 60 s; only what passed auth and
// validation is counted (401, 403, 404, 405, 413, 422, Studio's own 400 and the 429s themselves
// are not logged); the 21st gets 429 {"errors":["Too many AI requests"]} with
// `Retry-After: ceil(oldest start + 60 s - now)`. Shared by every loopback server of one Studio,
// so workers (and runs) on one key share the limit as they do on Studio. Time runs `scale` times
// as fast, as the suite's waits do (LIVEPEER_RETRY_SCALE): Retry-After stays in Studio's seconds.
import type { HttpResponse } from '../modes/replay.ts';

/** What Studio answers before its limiter runs: never counted. */
const REJECTED_BEFORE_LIMITER: ReadonlySet<number> = new Set([401, 403, 404, 405, 413, 422, 429]);

export class RateLedger {
  private readonly starts = new Map<string, number[]>();
  /** 429s given, per key: how often a run met the limit. */
  readonly refused = new Map<string, number>();

  constructor(
    readonly perMinute: number,
    readonly scale: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get windowMs(): number {
    return 60_000 * this.scale;
  }

  /** Whether Studio's limiter sees this answer: it was forwarded to the gateway (or would have been). */
  static counts(answer: HttpResponse): boolean {
    if (REJECTED_BEFORE_LIMITER.has(answer.status)) return false;
    // Studio's own 400s (body-parser, ?projectId) are `{"errors":[…]}`; a gateway's 400 passed through is not.
    if (answer.status === 400) return !(answer.body.kind === 'json' && Array.isArray((answer.body.value as { errors?: unknown } | null)?.errors));
    return true;
  }

  /** Counts a request of `user` now, or gives the Retry-After (seconds, Studio's) of its 429. */
  admit(user: string): { retryAfterSeconds: number } | undefined {
    const now = this.now();
    const recent = (this.starts.get(user) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.perMinute) {
      this.starts.set(user, recent);
      this.refused.set(user, (this.refused.get(user) ?? 0) + 1);
      return { retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / this.scale / 1000)) };
    }
    recent.push(now);
    this.starts.set(user, recent);
    return undefined;
  }

  /** Requests counted for `user` in the window ending now. */
  inWindow(user: string): number {
    const now = this.now();
    return (this.starts.get(user) ?? []).filter((t) => t > now - this.windowMs).length;
  }
}
