// The record of one run: what leaves each test (its verdict, in task.meta), gathered by one reporter
// into `<reports>/verdicts.json` (support/report/verdict-reporter.ts). The gate, the matrix, the
// hygiene check and the Allure labels read this, never a label parsed back from Allure results.
// A self-check run (the suite against its own loopback servers) writes its own file elsewhere, so
// it can never speak for a target.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CheckId, PipelineId, Subject, TargetId } from '../catalogue.ts';
import { OUTCOMES } from '../verdict/outcome.ts';

/** What a contract test declares about itself before it runs (test meta), skipped or not. */
export const About = z.object({
  check: CheckId,
  subject: Subject,
  pipeline: PipelineId.optional(),
  case: z.string().optional(),
});
export type About = z.infer<typeof About>;

/** A Deprecation, Sunset or Warning header a target sent (RFC 9745, RFC 8594, RFC 7234 §5.5). */
export const Notice = z.object({
  target: TargetId,
  method: z.string(),
  path: z.string(),
  status: z.number(),
  deprecation: z.string().optional(),
  sunset: z.string().optional(),
  warning: z.string().optional(),
});
export type Notice = z.infer<typeof Notice>;

/** A pipeline whose route answers 410 Gone: retired upstream while the docs still promise it. */
export const Retirement = z.object({
  target: TargetId,
  pipeline: PipelineId,
  /** The error text of the 410 body. */
  message: z.string(),
  sunset: z.string().optional(),
  /** Where it was seen: the preflight, or a check (its name). */
  seenIn: z.string(),
});
export type Retirement = z.infer<typeof Retirement>;

/** What a run establishes about a target before any spec: which pipelines it serves, and from where. */
export const Served = z.object({
  pipelines: z.array(PipelineId),
  /** `catalogue`, `GET /version`, `LIVEPEER_PIPELINES`, or both of the last two. */
  source: z.string(),
});
export type Served = z.infer<typeof Served>;

/** The answer a `changed` or `retired` verdict judged, redacted and bounded: what `npm run pins -- --propose` pins. */
export const ObservedAnswer = z.object({
  method: z.string(),
  path: z.string(),
  status: z.union([z.number(), z.literal('dropped')]),
  contentType: z.string().optional(),
  /** The body as JSON, when it is JSON and small (else its top-level keys). */
  json: z.unknown().optional(),
  keys: z.array(z.string()).optional(),
  /** The body as text, when it is not JSON and small. */
  text: z.string().optional(),
});
export type ObservedAnswer = z.infer<typeof ObservedAnswer>;

/** What one test's verdict says, as it leaves the worker. */
export const VerdictRecord = About.extend({
  outcome: z.enum(OUTCOMES),
  /** The registry entry the verdict was judged against, if any (exercised, whatever the outcome). */
  pin: z.string().optional(),
  headline: z.string(),
  /** Requests the test sent to the subject's target (0 for a check of the client code). */
  requests: z.number().int().nonnegative(),
  /** Cassette interactions (`<file>#<id>`) that answered the test's requests, in replay. */
  interactions: z.array(z.string()),
  /** For `no answer` and `not sent`: where, and the error. */
  failure: z.object({ kind: z.string(), code: z.string().optional(), method: z.string(), url: z.string(), message: z.string() }).optional(),
  /** For `retired`: the 410's error text and Sunset date. */
  retired: Retirement.optional(),
  /** Deprecation, Sunset and Warning headers on any answer of the test. */
  notices: z.array(Notice).optional(),
  /** For `changed` and `retired`: the answer judged. */
  observed: ObservedAnswer.optional(),
  /** For `changed`: the documented behaviour holds, so the pin judged against is stale. */
  stale: z.boolean().optional(),
});
export type VerdictRecord = z.infer<typeof VerdictRecord>;

/** Run kinds: a run against the configured target(s), or the suite checking itself on loopback. */
export const RUN_KINDS = ['target', 'self-check'] as const;

/** What a run is, decided by its global setup and handed to workers and reporters. */
export const RunInfo = z.object({
  id: z.string(),
  kind: z.enum(RUN_KINDS),
  /** The vitest project. */
  project: z.string(),
  mode: z.enum(['replay', 'live', 'record']),
  targets: z.array(TargetId),
  /** Host (and port) per target: never a key, never a path. */
  hosts: z.record(z.string(), z.string()),
  commit: z.string().optional(),
  startedAt: z.string(),
  /** Provenance of the fixtures replayed: counts and the age of the oldest recording. */
  fixtures: z
    .object({
      cassettes: z.number().optional(),
      interactions: z.number().optional(),
      /** Interactions by origin (cassettes before the count by interaction). */
      authored: z.number(),
      observed: z.number().optional(),
      recorded: z.number(),
      keeping: z.number().optional(),
      kept: z.array(z.enum(['authored', 'observed', 'recorded'])).optional(),
      oldestRecordedDays: z.number().optional(),
    })
    .optional(),
  /** Per target: the pipelines this run checks, and where that came from. */
  served: z.record(z.string(), Served),
  /** Per target that may check a bearer token (a runner): whether it does, as its answers or its cassettes show. */
  checksToken: z.record(z.string(), z.boolean()),
  /** What the target says of its version (a runner's GET /version). */
  versions: z.record(z.string(), z.string()),
  /** Pipelines found retired before any spec (410 Gone on their route). */
  retired: z.array(Retirement),
  /** Deprecation, Sunset and Warning headers seen before any spec. */
  notices: z.array(Notice),
  /** Per target, what the run planned to send before it sent anything (support/run/plan.ts). */
  plan: z.record(z.string(), z.object({ paid: z.number(), counted: z.number() })),
  /** Data pins the run judged with (`<fixtures>/pins/`), and those not committed yet: proposals waiting for review. */
  pins: z.object({ data: z.number(), waiting: z.array(z.string()) }).optional(),
});
export type RunInfo = z.infer<typeof RunInfo>;

export const TEST_STATES = ['pass', 'fail', 'skip', 'pending'] as const;

export const TestEntry = z.object({
  name: z.string(),
  file: z.string(),
  state: z.enum(TEST_STATES),
  about: About.optional(),
  verdict: VerdictRecord.optional(),
  /** First line of the error, for a test that failed. */
  error: z.string().optional(),
});
export type TestEntry = z.infer<typeof TestEntry>;

export const RUN_RECORD_VERSION = 1;
export const RunRecord = z.object({
  version: z.literal(RUN_RECORD_VERSION),
  run: RunInfo.extend({ finishedAt: z.string() }),
  tests: z.array(TestEntry),
  /** Why the run stopped before any spec: the target did not answer its first request, or refused it. */
  stopped: z.string().optional(),
  /**
   * Per target of a live or record run, what it really sent: requests that run a model, requests
   * its rate limiter counts, and of those the ones sent again after a 429 (beside `run.plan`).
   */
  sent: z.record(z.string(), z.object({ paid: z.number(), counted: z.number(), resent: z.number() })).optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;

export class RunRecordError extends Error {
  override name = 'RunRecordError';
}

/** Reads and checks a run record; every problem names the file and what to do. */
export function readRunRecord(file: string): RunRecord {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new RunRecordError(`No run to judge: ${file} does not exist. Run the suite first (npm test, or the live command of the README), then this command.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RunRecordError(`${file} is not valid JSON (${(err as Error).message}): run the suite again.`);
  }
  const parsed = RunRecord.safeParse(json);
  if (!parsed.success) throw new RunRecordError(`${file} is not a run record of this version of the suite: ${z.prettifyError(parsed.error).split('\n').slice(0, 3).join('; ')}. Run the suite again.`);
  return parsed.data;
}
