// DOC-01: the connectivity check of the docs. `curl -I <route>` (HEAD) and a GET on a generate
// route answer 405 Method Not Allowed, "not a 200". Also: a route the catalogue says a target
// does not serve really is not served there.
import { pipelineList } from '../support/catalogue.ts';
import { checksTestTimeout } from '../support/run/deadlines.ts';
import { check, describe, runConfig, statusOf } from '../support/run/test.ts';
import { anyBody, emptyBody } from '../support/schemas/expectations.ts';
import { runCheck } from '../support/verdict/check.ts';

const { targets, timeouts } = runConfig();

describe.each(targets)('connectivity %s', (target) => {
  for (const pipeline of pipelineList()) {
    const status = statusOf(target, pipeline.id);
    if (!status.served) {
      check.skip({ check: 'DOC-01', subject: target, pipeline: pipeline.id }, `DOC-01 GET ${pipeline.path}`, status.reason);
      continue;
    }
    for (const method of ['GET', 'HEAD'] as const) {
      check({ check: 'DOC-01', subject: target, pipeline: pipeline.id, case: method }, `DOC-01 ${method} ${pipeline.path} answers 405`, async (ctx) => {
        await runCheck(ctx, target, {
          check: 'DOC-01',
          pipeline: pipeline.id,
          case: method,
          request: { method, path: pipeline.path, body: { kind: 'none' }, auth: 'key' },
          documented: { summary: '405 Method Not Allowed (any body)', status: 405, body: method === 'HEAD' ? emptyBody : anyBody },
        });
      }, checksTestTimeout(timeouts, 1));
    }
  }
});
