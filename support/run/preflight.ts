// What a run establishes about its target before any spec. Live and record talk to the target once
// first: a target that does not answer stops the run with one message (the URL, the error code,
// the variable to fix, `npm run diagnose`), never with a wall of failed checks. The same requests
// say what the target serves (a runner's GET /version), whether a runner checks a bearer token
// (a runner with AUTH_TOKEN and no key configured stops the run: set LIVEPEER_API_KEY), whether a
// route is retired (410 Gone), and which end-of-life headers it sends. Replay takes the same facts
// from the catalogue and the cassettes. Every request here is one no target runs a model for.
import { PIPELINE_IDS, PIPELINES, TARGETS, type PipelineId, type TargetId } from '../catalogue.ts';
import type { Config } from '../config.ts';
import { authProbe } from '../data/auth-probe.ts';
import { ApiClient } from '../http/client.ts';
import { describeOutcome, type Exchange } from '../http/exchange.ts';
import { goneMessage, isGone, sunsetHeaders } from '../http/sunset.ts';
import type { RequestSpec } from '../http/wire.ts';
import type { LoadedCassette } from '../modes/cassettes.ts';
import { recordingOf } from '../modes/cassettes.ts';
import { keyFor } from '../modes/keys.ts';
import type { Notice, Retirement, RunInfo, Served } from '../report/run-record.ts';
import { servedOn } from './served.ts';

export type Facts = Pick<RunInfo, 'served' | 'checksToken' | 'versions' | 'retired' | 'notices'>;

export class PreflightError extends Error {
  override name = 'PreflightError';
}

/** The runner's answer to a request without the token it checks (runner-observed O96). */
const INVALID_TOKEN = 'Invalid bearer token.';

const noticeOf = (target: TargetId, x: Exchange): Notice[] => {
  const h = sunsetHeaders(x);
  return h && x.response ? [{ target, method: x.request.method, path: x.request.path, status: x.response.status, ...h }] : [];
};

const get = (path: string): RequestSpec => ({ method: 'GET', path, body: { kind: 'none' }, auth: 'key' });

function unreachable(config: Config, target: TargetId, x: Exchange): PreflightError {
  const base = config.baseUrls[target]!;
  const e = x.error!;
  const url = `LIVEPEER_GATEWAY_URL${process.env.LIVEPEER_GATEWAY_URL ? '' : ` (not set: the default for ${target} is ${TARGETS[target].defaultUrl})`}`;
  const bound =
    e.kind === 'timeout'
      ? `nothing came within LIVEPEER_CHECK_TIMEOUT_MS=${config.timeouts.checkMs} ms`
      : e.kind === 'unreachable' && e.code === 'UND_ERR_CONNECT_TIMEOUT'
        ? `no connection within LIVEPEER_CONNECT_TIMEOUT_MS=${config.timeouts.connectMs} ms`
        : undefined;
  return new PreflightError(
    [
      `Preflight: no answer from ${target} at ${base}: ${e.kind}${e.code ? ` (${e.code})` : ''}${bound ? `, ${bound}` : ''}.`,
      `  ${e.message}`,
      `  Check that the ${TARGETS[target].title} is up and that ${url} is its base URL (LIVEPEER_TARGET=${target}).`,
      '  `npm run diagnose` checks the way to it step by step. No spec ran.',
    ].join('\n'),
  );
}

/** What a runner's /version says it serves (runner-observed O12, O139), if it says anything. */
function fromVersion(x: Exchange): { pipeline?: PipelineId; version?: string } {
  const body = x.response?.status === 200 ? (x.response.json as { pipeline?: unknown; version?: unknown } | undefined) : undefined;
  const pipeline = (PIPELINE_IDS as readonly unknown[]).includes(body?.pipeline) ? (body!.pipeline as PipelineId) : undefined;
  return { ...(pipeline ? { pipeline } : {}), ...(typeof body?.version === 'string' ? { version: body.version } : {}) };
}

interface TargetFacts {
  served: Served;
  checksToken?: boolean;
  version?: string;
  retired: Retirement[];
  notices: Notice[];
}

async function preflightTarget(config: Config, target: TargetId): Promise<TargetFacts> {
  const baseUrl = config.baseUrls[target]!;
  const client = new ApiClient({ target, baseUrl, key: keyFor(config, target), secrets: config.apiKey ? [config.apiKey] : [], timeouts: config.timeouts });
  const notices: Notice[] = [];
  const send = async (spec: RequestSpec): Promise<Exchange> => {
    const x = await client.send(spec);
    if (!x.response) throw unreachable(config, target, x);
    notices.push(...noticeOf(target, x));
    return x;
  };

  // 1. The target answers at all: the version route where it has one, else its first route.
  const info = TARGETS[target];
  const first = await send(get(info.versionPath ?? PIPELINES[PIPELINE_IDS[0]].path));
  const version = info.versionPath ? fromVersion(first) : {};
  const served = servedOn(config, target, baseUrl, version.pipeline);

  // 2. A target that may check a token: one request without one to a route it serves, refused
  // before any model runs (support/data/auth-probe.ts). 401 `Invalid bearer token.`: it checks.
  let checksToken: boolean | undefined;
  if (info.auth === 'optional-token' && served.pipelines.length) {
    const probe = await send(authProbe(target, served.pipelines[0]!, 'none'));
    const msg = (probe.response?.json as { detail?: { msg?: unknown } } | undefined)?.detail?.msg;
    checksToken = probe.response?.status === 401;
    if (checksToken && !config.apiKey) {
      throw new PreflightError(
        [
          `Preflight: the ${target} at ${baseUrl} checks a bearer token (AUTH_TOKEN): it answered ${describeOutcome(probe)} to a request without one${msg === INVALID_TOKEN ? '' : ' (not its usual "Invalid bearer token.")'}.`,
          `  Set LIVEPEER_API_KEY to its AUTH_TOKEN (in .env or the environment) and run again. No spec ran.`,
        ].join('\n'),
      );
    }
  }

  // 3. Retired routes: GET on each pipeline the run checks (free everywhere); 410 Gone means retired.
  const retired: Retirement[] = [];
  for (const pipeline of served.pipelines) {
    const x = await send(get(PIPELINES[pipeline].path));
    if (isGone(x)) retired.push({ target, pipeline, message: goneMessage(x), ...(x.response?.headers.sunset ? { sunset: x.response.headers.sunset } : {}), seenIn: 'preflight (GET on the route)' });
  }
  return { served, ...(checksToken !== undefined ? { checksToken } : {}), ...(version.version ? { version: version.version } : {}), retired, notices };
}

/** The facts of a run: from the target itself (live, record), or from the catalogue and the cassettes (replay). */
export async function establishFacts(config: Config, cassettes: readonly LoadedCassette[]): Promise<Facts> {
  const facts: Facts = { served: {}, checksToken: {}, versions: {}, retired: [], notices: [] };
  for (const target of config.targets) {
    if (config.mode === 'replay') {
      facts.served[target] = servedOn(config, target, config.baseUrls[target]!);
      // A recording says whether the target checked a token; authored cassettes are of a runner without one.
      if (TARGETS[target].auth === 'optional-token') facts.checksToken[target] = cassettes.some((c) => c.target === target && recordingOf(c.provenance)?.checksToken === true);
      continue;
    }
    const f = await preflightTarget(config, target);
    facts.served[target] = f.served;
    if (f.checksToken !== undefined) facts.checksToken[target] = f.checksToken;
    if (f.version) facts.versions[target] = f.version;
    facts.retired.push(...f.retired);
    facts.notices.push(...f.notices);
  }
  return facts;
}

