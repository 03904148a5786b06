// Spaces the requests a target's rate limiter counts, across every worker of a run, so that no
// window of the limiter holds more of them than it allows (Studio: 20 per user in the last 60 s,
// counted from the start of each forwarded request; studio-observed.md §7).
//
// Workers share it through files in the run's folder, as the paid-request slots are shared: slot
// N is taken by creating its file exclusively, and holds the time it may be sent,
//   at(N) = max(now, at(N-1), at(N-limit) + window + margin, blocked until)
// so any `window` holds at most `limit` sends. A 429 no check asked for (another run on the same
// key, Studio's racy count) halves the share for the rest of the run and holds every worker until
// its Retry-After has passed.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: PacerClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

export interface PacerOptions {
  /** Requests the limiter allows in one window. */
  limit: number;
  /** The limiter's window (60 s, times LIVEPEER_RETRY_SCALE). */
  windowMs: number;
  /** Added to each window: the target stamps a request when it arrives, a little after it was sent. */
  marginMs: number;
  /** What the run plans to send that the limiter counts, for the progress line. */
  planned?: number;
  /** Told of every wait, as one line. */
  log?: (line: string) => void;
  clock?: PacerClock;
}

/** The shared part of the pacing that a 429 changes. */
interface Share {
  limit: number;
  blockedUntil: number;
  /** When the share was last halved: 429s of one burst halve it once. */
  halvedAt?: number;
}

export interface Taken {
  /** 0-based: the n-th counted request of the run. */
  slot: number;
  waitedMs: number;
}

export class RatePacer {
  private readonly clock: PacerClock;
  /** Per folder, the slot after the last one this process took. */
  private static readonly next = new Map<string, number>();

  constructor(
    private readonly dir: string,
    private readonly options: PacerOptions,
  ) {
    this.clock = options.clock ?? REAL_CLOCK;
  }

  private slotPath(slot: number): string {
    return join(this.dir, `sent-${String(slot).padStart(5, '0')}`);
  }

  private get sharePath(): string {
    return join(this.dir, 'share.json');
  }

  private share(): Share {
    try {
      return JSON.parse(readFileSync(this.sharePath, 'utf8')) as Share;
    } catch {
      return { limit: this.options.limit, blockedUntil: 0 };
    }
  }

  private writeShare(s: Share): void {
    // Whole-file replace: a worker reading it meanwhile sees the old share or the new one.
    const tmp = `${this.sharePath}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(tmp, JSON.stringify(s));
    renameSync(tmp, this.sharePath);
  }

  /** When slot `n` may be sent: its file is written right after it is created, so an empty one is read again. */
  private async sendTimeOf(slot: number): Promise<number | undefined> {
    if (slot < 0) return undefined;
    for (let tries = 0; tries < 500; tries++) {
      const text = existsSync(this.slotPath(slot)) ? readFileSync(this.slotPath(slot), 'utf8') : '';
      if (text) return (JSON.parse(text) as { at: number }).at;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return undefined;
  }

  private firstFree(): number {
    const next = RatePacer.next.get(this.dir) ?? 0;
    return next > 0 && existsSync(this.slotPath(next - 1)) ? next : 0;
  }

  /** Takes the next slot and waits until it may be sent. */
  async take(what: string): Promise<Taken> {
    mkdirSync(this.dir, { recursive: true });
    for (let slot = this.firstFree(); ; slot++) {
      let fd: number;
      try {
        fd = openSync(this.slotPath(slot), 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      RatePacer.next.set(this.dir, slot + 1);
      let at: number;
      try {
        const share = this.share();
        const previous = await this.sendTimeOf(slot - 1);
        const windowAgo = await this.sendTimeOf(slot - share.limit);
        at = Math.max(this.clock.now(), previous ?? 0, windowAgo === undefined ? 0 : windowAgo + this.options.windowMs + this.options.marginMs, share.blockedUntil);
        writeSync(fd, JSON.stringify({ at, what }));
      } finally {
        closeSync(fd);
      }
      const waitedMs = Math.max(0, at - this.clock.now());
      if (waitedMs > 0) {
        const planned = this.options.planned !== undefined ? ` of ${this.options.planned} planned` : '';
        this.options.log?.(`waiting ${formatWait(waitedMs)} on the rate limit (${this.share().limit} per ${formatWait(this.options.windowMs)}) before counted request ${slot + 1}${planned}: ${what}`);
        await this.clock.sleep(waitedMs);
      }
      return { slot, waitedMs };
    }
  }

  /**
   * A 429 no check asked for: something else spends the same limit (another run on the key), so
   * this run takes half of what it took (once per window, however many 429s one burst got), and
   * nothing is sent before the target's Retry-After.
   */
  backOff(retryAfterMs: number): Share {
    const s = this.share();
    const now = this.clock.now();
    const halve = s.halvedAt === undefined || now - s.halvedAt > this.options.windowMs;
    const next: Share = {
      limit: halve ? Math.max(1, Math.floor(s.limit / 2)) : s.limit,
      blockedUntil: Math.max(s.blockedUntil, now + retryAfterMs),
      ...(halve ? { halvedAt: now } : s.halvedAt !== undefined ? { halvedAt: s.halvedAt } : {}),
    };
    mkdirSync(this.dir, { recursive: true });
    this.writeShare(next);
    // One mark per resend, taken exclusively: the run's count of them (countResends).
    for (let n = 0; ; n++) {
      try {
        writeFileSync(join(this.dir, `resent-${String(n).padStart(5, '0')}`), '', { flag: 'wx' });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    return next;
  }
}

const countFiles = (dir: string, prefix: string): number => {
  let n = 0;
  while (existsSync(join(dir, `${prefix}-${String(n).padStart(5, '0')}`))) n++;
  return n;
};

/** How many counted requests a run's pacer of a target let through (its slot files). */
export const countSent = (dir: string): number => countFiles(dir, 'sent');
/** How many of them were sent again after a 429 of the rate limit. */
export const countResends = (dir: string): number => countFiles(dir, 'resent');

export const formatWait = (ms: number): string => (ms >= 10_000 ? `${Math.round(ms / 1000)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
