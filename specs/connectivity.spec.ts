// DOC-01: the connectivity check of the docs. `curl -I <route>` (HEAD) and a GET on a generate
// route answer 405 Method Not Allowed, "not a 200". Also: a route the catalogue says a target
// does not serve really is not served there.
import { notServedReason, pipelineList, serves } from '../support/catalogue.ts';
import { onTarget, runCheck } from '../support/verdict/check.ts';
import { checksTestTimeout } from '../support/run/deadlines.ts';
import { anyBody, emptyBody } from '../support/schemas/expectations.ts';
import { describe, runConfig, test } from '../support/run/test.ts';

const { targets, timeouts } = runConfig();

describe.each(targets)('connectivity %s', (target) => {
  for (const pipeline of pipelineList()) {
    if (!serves(target, pipeline.id)) {
      test.skip(`DOC-01 GET ${pipeline.path}: not served on ${target}: ${notServedReason(target, pipeline.id)}`, () => {});
      continue;
    }
    for (const method of ['GET', 'HEAD'] as const) {
      test(`DOC-01 ${method} ${pipeline.path} answers 405 ${onTarget(target)}`, async ({ api, annotate }) => {
        await runCheck({ annotate }, api, target, {
          doc: 'DOC-01',
          pipeline: pipeline.id,
          case: method,
          request: { method, path: pipeline.path, body: { kind: 'none' }, auth: 'key' },
          documented: { summary: '405 Method Not Allowed (any body)', status: 405, body: method === 'HEAD' ? emptyBody : anyBody },
        });
      }, checksTestTimeout(timeouts, 1));
    }
  }
});
