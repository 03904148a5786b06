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
//          first required field);
//   DOC-04 model_id (llm: model) "not-a-model";
//   DOC-05 the minimal request of each multipart route sent as JSON (files as data URLs); the
//          failing field is the file field;
//   DOC-06 integer fields as numeric strings on JSON routes with integer fields (multipart
//          values are always text, so the question does not arise there).
// Requests are unpaid unless the registry pins a 2xx for the target: those run a model.
import { build } from '../support/data/requests.ts';
import { validationCases } from '../support/data/validation-cases.ts';
import { validationDraft } from '../support/run/plan.ts';
import { checksTestTimeout, paidTestTimeout } from '../support/run/deadlines.ts';
import { check, describe, runConfig, statusOf } from '../support/run/test.ts';
import type { Expectation } from '../support/schemas/expectations.ts';
import { failingFields, FastApiValidationError } from '../support/schemas/index.ts';
import { runCheck } from '../support/verdict/check.ts';

const { targets, timeouts } = runConfig();

/** The documented 422: a FastAPI detail list with an item naming one of the failing fields. */
function documented422(failing: readonly string[]): Expectation {
  const names = failing.join(' or ');
  return {
    summary: `422 {"detail":[{"loc":["body","${names}"],"msg":…,"type":…}]}`,
    status: 422,
    body: FastApiValidationError.refine((body) => failingFields(body).some((f) => failing.includes(f)), {
      error: `no detail item has a loc ending with ${names}`,
    }),
  };
}

describe.each(targets)('validation %s', (target) => {
  for (const c of validationCases()) {
    const about = { check: c.doc, subject: target, pipeline: c.pipeline };
    const status = statusOf(target, c.pipeline);
    if (!status.served) {
      check.skip(about, c.title, status.reason);
      continue;
    }
    const draft = validationDraft(target, c);
    // A paid request may take the whole generation deadline: the test outlives it (DOC-14).
    const testTimeout = draft.paid ? paidTestTimeout(timeouts) : checksTestTimeout(timeouts, 1);
    check(about, c.title, async (ctx) => {
      await runCheck(ctx, target, {
        check: c.doc,
        pipeline: c.pipeline,
        request: build(draft),
        documented: documented422(c.failing),
      });
    }, testTimeout);
  }
});
