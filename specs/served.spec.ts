// RUN-01: what a target serves is a fact of the run. A pipeline the target itself lacks in this run
// (the catalogue says so, its GET /version names another one, or LIVEPEER_PIPELINES says which one
// a runner container serves) gets this one check, that it is really absent, and its other checks
// are skipped with the reason: never "changed". The request is the one DOC-11 probes with, without
// a key (support/data/auth-probe.ts): refused before any model runs wherever the route does exist.
import { CHECKS, pipelineList } from '../support/catalogue.ts';
import { authProbe } from '../support/data/auth-probe.ts';
import { ROUTE_NOT_FOUND } from '../support/data/failure-modes.ts';
import { checksTestTimeout } from '../support/run/deadlines.ts';
import { check, describe, runConfig, runInfo, statusOf } from '../support/run/test.ts';
import { anyBody } from '../support/schemas/expectations.ts';
import { runCheck } from '../support/verdict/check.ts';

const { targets, timeouts } = runConfig();

describe.each(targets)('served pipelines %s', (target) => {
  const absent = pipelineList().filter((p) => {
    const s = statusOf(target, p.id);
    return !s.served && s.checkAbsent;
  });
  const notApplicable = CHECKS['RUN-01'].noSpec?.[target];
  if (absent.length === 0) {
    check.skip({ check: 'RUN-01', subject: target }, 'RUN-01 a pipeline not served in this run is really absent', notApplicable ?? `every pipeline of the catalogue is served (${runInfo().served[target]?.source ?? 'catalogue'})`);
    return;
  }
  const own = ROUTE_NOT_FOUND[target];
  for (const pipeline of absent) {
    const status = statusOf(target, pipeline.id);
    check({ check: 'RUN-01', subject: target, pipeline: pipeline.id }, `RUN-01 ${pipeline.path} is ${status.served ? 'served' : status.reason}: its route answers 404`, async (ctx) => {
      await runCheck(ctx, target, {
        check: 'RUN-01',
        pipeline: pipeline.id,
        request: authProbe(target, pipeline.id, 'none'),
        documented: { summary: '404 Not Found: no such route (any body)', status: 404, body: anyBody },
        requires: [{ summary: `the layer's own 404 ${own.summary} (${own.evidence.join('; ')})`, status: own.status, body: own.body }],
      });
    }, checksTestTimeout(timeouts, 1));
  }
});
