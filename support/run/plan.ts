// What a run will send, counted before it sends anything: per target, every request that runs a
// model (paid: it costs money live) and every request the target's rate limiter counts (Studio
// counts what reaches its gateway). Built from the same data the specs loop over (the catalogue,
// the validation, auth and SDK cases, the success requests) and from the registry's pins, so the
// plan says what the checks will send; a self-test holds a recording run's own count to it.
// A cap below the plan stops the run at setup, naming the number it needs.
import { CHECKS, PIPELINES, pipelineList, type CaseOf, type CheckId, type PipelineId, type TargetId } from '../catalogue.ts';
import type { Config } from '../config.ts';
import { AUTH_CASES } from '../data/auth-probe.ts';
import { RATE_LIMITS } from '../data/failure-modes.ts';
import { build, unpaid, type RequestDraft } from '../data/requests.ts';
import { requestBodyFromSpec, requestKey } from '../modes/cassettes.ts';
import { SDK_CALL_CASES } from '../data/sdk-cases.ts';
import { successVariants } from '../data/success-requests.ts';
import { sentTo, validationCases, type ValidationCase } from '../data/validation-cases.ts';
import { findDeviation } from '../deviations/registry.ts';
import { SNIPPET_POLICY } from '../retry/retry.ts';
import type { RunInfo } from '../report/run-record.ts';
import { pipelineStatus } from './served.ts';

export interface PlannedRequest {
  target: TargetId;
  check: CheckId;
  pipeline?: PipelineId;
  /** The case inside the check, where its cases are counted differently (a 400 beside a 422). */
  case?: string;
  /** What it is, for the banner and failures: `DOC-15 /upscale`. */
  what: string;
  /**
   * Sent as a request that runs a model where the target accepts it: the paid-request cap counts it,
   * whatever the target then answers (the SDK's request without a model, say, which Studio fails).
   */
  paid: boolean;
  /** Counted by the target's rate limiter (it reaches Studio's gateway). */
  counted: boolean;
  /** How many times it may be sent (a retry loop's attempts). */
  sends: number;
}

export interface Plan {
  requests: PlannedRequest[];
  /** Paid sends at most. */
  paid: number;
  /** Sends the limiter counts at most. */
  counted: number;
}

/** Statuses Studio gives before the request reaches its gateway: not counted by its limiter (studio-observed.md §7). */
const REJECTED_BEFORE_GATEWAY: ReadonlySet<number> = new Set([401, 403, 404, 405, 413, 422]);

/** The status a check expects on a target: what the registry pins, else what the docs say. */
function expected<C extends CheckId>(check: C, target: TargetId, pipeline: PipelineId | undefined, caseId: CaseOf<C> | undefined, documented: number): number | 'dropped' {
  return findDeviation(check, target, pipeline, caseId)?.pinned.status ?? documented;
}

type PlanConfig = Pick<Config, 'mode' | 'coldModel' | 'rateLimits'>;

/**
 * Whether a target's limiter (where the run has one) counts a request answered with this status:
 * Studio's does not count what it rejects before its gateway; a limit set on any other target
 * counts everything, since nothing says what it skips. Unknown (a dropped connection) is counted.
 */
function countedAt(config: Pick<Config, 'rateLimits'>, target: TargetId, status: number | 'dropped'): boolean {
  if (config.rateLimits[target] === undefined) return false;
  if (RATE_LIMITS[target].kind !== 'limited') return true;
  return status === 'dropped' || !REJECTED_BEFORE_GATEWAY.has(status);
}

const isSuccess = (status: number | 'dropped') => typeof status === 'number' && status >= 200 && status < 300;

/** Paid only where the registry pins a 2xx: the target accepts the flawed request and runs it. */
export function validationDraft(target: TargetId, c: ValidationCase): RequestDraft {
  return isSuccess(expected(c.doc, target, c.pipeline, c.case as CaseOf<typeof c.doc> | undefined, 422)) ? c.draft : unpaid(c.draft);
}

type Run = Pick<RunInfo, 'served' | 'retired'>;

/** The requests one target gets in a run of this mode. */
export function planTarget(config: PlanConfig, run: Run, target: TargetId): PlannedRequest[] {
  const out: PlannedRequest[] = [];
  const countedBy = (t: TargetId, status: number | 'dropped') => countedAt(config, t, status);
  const served = (p: PipelineId) => pipelineStatus(run, target, p).served;
  const add = (r: Omit<PlannedRequest, 'target' | 'sends'> & { sends?: number }) => out.push({ target, sends: 1, ...r });
  const replay = config.mode === 'replay';

  for (const p of pipelineList().filter((x) => served(x.id))) {
    for (const m of ['GET', 'HEAD']) add({ check: 'DOC-01', pipeline: p.id, case: m, what: `DOC-01 ${m} ${p.path}`, paid: false, counted: countedBy(target, expected('DOC-01', target, p.id, m as 'GET', 405)) });
    for (const c of AUTH_CASES) add({ check: 'DOC-11', pipeline: p.id, what: `DOC-11 ${c.id} ${p.path}`, paid: false, counted: countedBy(target, 401) });
    // One successful request per variant, judged by DOC-15, DOC-10, DOC-09 and SDK-01 (sent once).
    for (const v of successVariants(p.id)) {
      const status = expected('DOC-15', target, p.id, v.case, 200);
      add({ check: 'DOC-15', pipeline: p.id, ...(v.case ? { case: v.case } : {}), what: `DOC-15 ${p.path}${v.case ? ` (${v.case})` : ''}, shared with ${['SDK-01', ...(p.id === 'text-to-image' ? ['DOC-10'] : []), ...(p.warmModel && !v.stream ? ['DOC-09'] : [])].join(', ')}`, paid: true, counted: countedBy(target, status) });
    }
    for (const c of SDK_CALL_CASES.filter((k) => k.applies(target, p.id))) {
      const status = expected(c.id, target, p.id, c.case, c.id === 'SDK-03' ? 200 : 400);
      add({ check: c.id, pipeline: p.id, case: c.case, what: `${c.id} ${c.case} ${p.path}`, paid: c.paid, counted: countedBy(target, status) });
    }
  }
  // A request two cases share (DOC-02 and DOC-03 on text-to-speech) is sent once (runCheck).
  const validationSent = new Set<string>();
  for (const c of validationCases().filter((k) => served(k.pipeline) && sentTo(k, target))) {
    const spec = build(validationDraft(target, c));
    const key = requestKey({ method: spec.method, path: spec.path, auth: spec.auth, body: requestBodyFromSpec(spec.body) });
    if (validationSent.has(key)) continue;
    validationSent.add(key);
    // Studio's own 400 (malformed JSON) is refused before its limiter too, but a 400 may also be a
    // gateway's passed through: counted, which only paces one request more than needed.
    const status = expected(c.doc, target, c.pipeline, c.case as CaseOf<typeof c.doc> | undefined, 422);
    add({ check: c.doc, pipeline: c.pipeline, ...(c.case ? { case: c.case } : {}), what: `${c.doc} ${PIPELINES[c.pipeline].path}${c.case ? ` (${c.case})` : ''}`, paid: isSuccess(status), counted: countedBy(target, status) });
  }
  for (const p of pipelineList().filter((x) => { const s = pipelineStatus(run, target, x.id); return !s.served && s.checkAbsent; })) {
    add({ check: 'RUN-01', pipeline: p.id, what: `RUN-01 ${p.path}`, paid: false, counted: countedBy(target, 404) });
  }

  const t2i = served('text-to-image');
  // DOC-07: replay plays three states of the network; live asks LIVEPEER_COLD_MODEL, retried as the snippet does.
  if (t2i && !CHECKS['DOC-07'].noSpec?.[target]) {
    const attempts = SNIPPET_POLICY.maxRetries + 1;
    if (replay) add({ check: 'DOC-07', pipeline: 'text-to-image', what: 'DOC-07 three cold-model scenarios (replay)', paid: true, counted: countedBy(target, 500), sends: 3 * attempts });
    else if (config.coldModel) add({ check: 'DOC-07', pipeline: 'text-to-image', what: `DOC-07 cold model ${config.coldModel}, up to ${attempts} attempts`, paid: true, counted: countedBy(target, 500), sends: attempts });
  }
  // DOC-12 and DOC-13: replay only where a layer limits or fails on demand; the free burst live
  // (never paced: it asks whether a burst meets a limit).
  const limit = RATE_LIMITS[target];
  if (limit.kind === 'none' && served('image-to-image')) add({ check: 'DOC-12', pipeline: 'image-to-image', what: 'DOC-12 a burst of 21 requests rejected before inference', paid: false, counted: false, sends: 21 });
  if (replay && t2i) {
    if (limit.kind === 'limited') add({ check: 'DOC-12', pipeline: 'text-to-image', what: 'DOC-12 429 then 200, twice (replay)', paid: true, counted: true, sends: 4 });
    if (limit.kind === 'limited') add({ check: 'DOC-12', pipeline: 'text-to-image', what: 'DOC-12 while the window is full: 429, 422, 429 (replay)', paid: true, counted: true, sends: 2 });
    add({ check: 'DOC-13', pipeline: 'text-to-image', what: 'DOC-13 500 then a retry, twice (replay)', paid: true, counted: countedBy(target, 500), sends: 4 });
  }
  return out;
}

/**
 * Whether the limiter counts what the running check sends, as the plan counted that check's
 * requests on the pipeline; a request the plan does not list is counted (it only paces more).
 */
export function countedInPlan(requests: readonly PlannedRequest[], check: CheckId, pipeline: PipelineId | undefined, caseId?: string): boolean {
  const planned = requests.filter((r) => r.check === check && (pipeline === undefined || r.pipeline === pipeline) && (r.case === undefined || caseId === undefined || r.case === caseId));
  return planned.length === 0 || planned.some((r) => r.counted);
}

export function plan(config: PlanConfig & Pick<Config, 'targets'>, run: Run): Record<string, Plan> {
  return Object.fromEntries(
    config.targets.map((t) => {
      const requests = planTarget(config, run, t);
      const sum = (f: (r: PlannedRequest) => boolean) => requests.filter(f).reduce((n, r) => n + r.sends, 0);
      return [t, { requests, paid: sum((r) => r.paid), counted: sum((r) => r.counted) }];
    }),
  );
}

/** The limiter's window: a minute, scaled like every documented wait (LIVEPEER_RETRY_SCALE). */
export const limitWindowMs = (config: Pick<Config, 'retryScale'>): number => 60_000 * config.retryScale;

/** The least wall time a rate limit of `perMinute` implies for this many counted requests (a sliding window). */
export function leastWallMs(perMinute: number | undefined, counted: number, windowMs = 60_000): number {
  if (perMinute === undefined || counted <= perMinute) return 0;
  return (Math.ceil(counted / perMinute) - 1) * windowMs;
}

/** One line per target for the banner: what the run will pay for and what the target's limiter counts. */
export function describePlan(config: Pick<Config, 'rateLimits' | 'retryScale'>, plans: Record<string, Plan>): string[] {
  return Object.entries(plans).map(([t, p]) => {
    const perMinute = config.rateLimits[t as TargetId];
    const per = config.retryScale === 1 ? 'a minute' : `per ${limitWindowMs(config)} ms (a minute × LIVEPEER_RETRY_SCALE)`;
    const counted = perMinute !== undefined ? `; ${p.counted} counted by its rate limit of ${perMinute} ${per}, paced to fit (at least ${formatSeconds(leastWallMs(perMinute, p.counted, limitWindowMs(config)))} of waiting)` : '';
    return `plan: ${t}: ${p.paid} request(s) that run a model${counted}`;
  });
}

const formatSeconds = (ms: number) => (ms >= 1000 || ms === 0 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`);
