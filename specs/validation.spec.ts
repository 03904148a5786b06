// DOC-02 to DOC-06: the documented 422 validation errors. The docs show one body for all of them,
// `{"detail":[{"loc":["body","model_id"],"msg":"field required","type":"value_error.missing"}]}`,
// and say it "identifies the failing field" (DOC-03). So every check here expects the same thing:
// status 422 and a FastAPI `detail` list (pydantic v1 items as the docs show, or v2 items as a
// runner sends) with an item whose `loc` ends with the field that failed. A Studio 422 that names
// the field in its own ajv form is a deviation in body shape, pinned as such.
//
// What each DOC sends (support/data/validation-cases.ts):
//   DOC-02 the minimal request without its model field: `model_id`, or `model` on /llm, where the
//          spec leaves it optional but the docs say the model ID is required on all pipelines;
//   DOC-03 the minimal request without the input it cannot run without (its file, else its
//          first required field); and on /text-to-image three more flaws: malformed JSON, an
//          unknown field, a body over 100 kB. Malformed JSON names no field: the body failed, at
//          a place, so the documented 422 is FastAPI's `json_invalid` item locating it,
//          `loc` ["body", <char offset>]. The unknown field and the big body are sent only where
//          the target refuses them before inference (Studio); a runner or a gateway would run a
//          model (the case's `only`), so those tests are skipped there with the reason;
//   DOC-04 model_id (llm: model) "not-a-model";
//   DOC-05 the minimal request of each multipart route sent as JSON (files as data URLs); the
//          failing field is the file field;
//   DOC-06 integer fields as numeric strings on JSON routes with integer fields (multipart
//          values are always text, so the question does not arise there).
// Requests are unpaid unless the registry pins a 2xx for the target: those run a model.
import { build } from '../support/data/requests.ts';
import { sentTo, validationCases, type ValidationCase } from '../support/data/validation-cases.ts';
import { validationDraft } from '../support/run/plan.ts';
import { checksTestTimeout, paidTestTimeout } from '../support/run/deadlines.ts';
import { check, describe, runConfig, statusOf } from '../support/run/test.ts';
import type { Expectation } from '../support/schemas/expectations.ts';
import { failingFields, FastApiValidationError } from '../support/schemas/index.ts';
import { runCheck } from '../support/verdict/check.ts';

const { targets, timeouts } = runConfig();

/** The documented 422: a FastAPI detail list with an item naming one of the failing fields, or locating malformed JSON. */
function documented422(c: Pick<ValidationCase, 'failing' | 'jsonInvalidAt'>): Expectation {
  const at = c.jsonInvalidAt;
  if (at !== undefined) {
    return {
      summary: `422 {"detail":[{"type":"json_invalid","loc":["body",${at}],"msg":…}]}`,
      status: 422,
      body: FastApiValidationError.refine((body) => body.detail.some((item) => item.type === 'json_invalid' && item.loc.length === 2 && item.loc[0] === 'body' && item.loc[1] === at), {
        error: `no json_invalid detail item at loc ["body",${at}]`,
      }),
    };
  }
  const names = c.failing.join(' or ');
  return {
    summary: `422 {"detail":[{"loc":["body","${names}"],"msg":…,"type":…}]}`,
    status: 422,
    body: FastApiValidationError.refine((body) => failingFields(body).some((f) => c.failing.includes(f)), {
      error: `no detail item has a loc ending with ${names}`,
    }),
  };
}

describe.each(targets)('validation %s', (target) => {
  for (const c of validationCases()) {
    const about = { check: c.doc, subject: target, pipeline: c.pipeline, ...(c.case ? { case: c.case } : {}) };
    const status = statusOf(target, c.pipeline);
    if (!status.served) {
      check.skip(about, c.title, status.reason);
      continue;
    }
    if (!sentTo(c, target)) {
      check.skip(about, c.title, c.only!.reason);
      continue;
    }
    const draft = validationDraft(target, c);
    // A paid request may take the whole generation deadline: the test outlives it (DOC-14).
    const testTimeout = draft.paid ? paidTestTimeout(timeouts) : checksTestTimeout(timeouts, 1);
    check(about, c.title, async (ctx) => {
      await runCheck(ctx, target, {
        check: c.doc,
        pipeline: c.pipeline,
        ...(c.case ? { case: c.case } : {}),
        request: build(draft),
        documented: documented422(c),
      });
    }, testTimeout);
  }
});
