// The requests of the validation specs (DOC-02 to DOC-06), one per documented 422 cause and
// pipeline, with the field a documented 422 must name. Declared once here because three readers
// need the same requests: the spec, the registry pins (support/deviations/validation.ts) and the
// cassette authoring script (fixtures/authoring/validation.ts).
import { modelField, pipelineList, PIPELINES, type CaseOf, type DocId, type Pipeline, type PipelineId, type TargetId } from '../catalogue.ts';
import { encodedAs, integersAsStrings, minimalDraft, withField, withModel, withoutField, withoutModel, withRawBody, type RequestDraft } from './requests.ts';

export interface ValidationCase {
  doc: DocId;
  pipeline: PipelineId;
  /** The variant of the DOC (catalogue CASES), where it has several: DOC-03's flaws. Registry entries are matched on it. */
  case?: CaseOf<'DOC-03'>;
  /** The test name without the target: `DOC-05 JSON body to /upscale answers 422 naming image`. */
  title: string;
  /** The request; `paid` as the minimal draft has it (a spec makes it unpaid where the target refuses it). */
  draft: RequestDraft;
  /** Fields a documented 422 may name to identify what failed (any one of them). */
  failing: readonly string[];
  /**
   * Where what failed is no field but the body itself (malformed JSON): the character offset a
   * documented 422 locates it at, as FastAPI does, `{"type":"json_invalid","loc":["body",<offset>],…}`.
   */
  jsonInvalidAt?: number;
  /** The targets the request is sent to, where not every target, and why the others are not. */
  only?: { targets: readonly TargetId[]; reason: string };
}

/** The model ID that is not a Hugging Face `org/name` (DOC-04). */
export const NOT_A_MODEL = 'not-a-model';

/**
 * DOC-06: the integer fields sent as numeric strings, per JSON pipeline that has integer fields.
 * text-to-image gets the docs' own example (dimensions, "1024"); llm its one integer a request
 * always carries. Multipart pipelines are not listed: every form value is text there, so "1024"
 * is the normal way to send an integer and no layer rejects it (contract-notes §2.4).
 */
export const STRING_INTEGERS: Partial<Record<PipelineId, Record<string, number>>> = {
  'text-to-image': { width: 1024, height: 1024 },
  llm: { max_tokens: 8 },
};

/**
 * DOC-03: the field a request leaves out to draw a 422 that must name it. The input the pipeline
 * cannot run without: its file, else its first required field besides the model; text-to-speech
 * requires only `model_id` in the spec, which is then the docs' own example.
 */
export function missingFieldFor(p: Pipeline): string {
  return p.fileFields[0]?.name ?? p.required.find((f) => f !== modelField(p.id)) ?? modelField(p.id);
}

const doc02 = (p: Pipeline): ValidationCase => ({
  doc: 'DOC-02',
  pipeline: p.id,
  // On /llm the model field is `model` (LLMRequest); DOC-02 says the model ID is required on all
  // pipelines, so /llm is held to that with the field it has, although the spec leaves it optional.
  title: `DOC-02 ${p.path} without ${modelField(p.id)} answers 422 naming ${modelField(p.id)}`,
  draft: withoutModel(minimalDraft(p.id)),
  failing: [modelField(p.id)],
});

const doc03 = (p: Pipeline): ValidationCase => {
  const field = missingFieldFor(p);
  return {
    doc: 'DOC-03',
    case: 'missing field',
    pipeline: p.id,
    title: `DOC-03 ${p.path} without ${field} answers 422 naming ${field}`,
    draft: withoutField(minimalDraft(p.id), field),
    failing: [field],
  };
};

/** DOC-03's malformed body: a JSON object cut after its first key (studio-observed.md §3 malformed-json, runner-observed O29). */
export const MALFORMED_JSON = '{"prompt":';
/** An unknown field added to the minimal request (studio-observed.md §3 extra-field, runner-observed O28). */
export const EXTRA_FIELD = { name: 'foo', value: 'bar' } as const;
/**
 * A prompt that makes the JSON body about 120 kB, above the 100 kB Studio's body parser takes
 * (contract-notes.md §2.3.2 item 2; studio-observed.md §3 json-over-100kb sent a prompt of as many "a").
 */
export const LONG_PROMPT_LENGTH = 120_000;

/**
 * Sent to Studio only, which refuses it before inference (its schemas forbid unknown fields, its
 * body parser stops at 100 kB). A runner and a gateway accept it and run a model: live that costs
 * money for an answer the reference already gives, so the request is not sent there.
 */
const studioOnly = (why: string): NonNullable<ValidationCase['only']> => ({
  targets: ['studio'],
  reason: `not sent: ${why}, so a runner and a gateway would run a model, which costs money live; only Studio refuses it before inference`,
});

/**
 * DOC-03's other flaws on /text-to-image, each a 422 that must identify what failed:
 * - malformed JSON: no field failed, the body did, at a place: the documented 422 locates it as
 *   FastAPI does, one `json_invalid` item at `loc` ["body", <offset>], the offset where decoding
 *   failed (JSONDecodeError.pos): 10 here, the end of the text, where a value was due
 *   (contract-notes.md §2.1.2; runner-observed O29). Free everywhere: no layer decodes it, so none runs a model.
 * - an extra field: the 422 names it (`foo`);
 * - a body too large: the 422 names the field that makes it so (`prompt`).
 */
function doc03Flaws(): ValidationCase[] {
  const p = PIPELINES['text-to-image'];
  const minimal = minimalDraft(p.id);
  return [
    {
      doc: 'DOC-03',
      case: 'malformed json',
      pipeline: p.id,
      title: `DOC-03 ${p.path} with malformed JSON (${MALFORMED_JSON}) answers 422 locating it (json_invalid at body offset ${MALFORMED_JSON.length})`,
      draft: withRawBody(minimal, MALFORMED_JSON, 'application/json'),
      failing: [],
      jsonInvalidAt: MALFORMED_JSON.length,
    },
    {
      doc: 'DOC-03',
      case: 'extra field',
      pipeline: p.id,
      title: `DOC-03 ${p.path} with an unknown field ${EXTRA_FIELD.name} answers 422 naming ${EXTRA_FIELD.name}`,
      draft: withField(minimal, EXTRA_FIELD.name, EXTRA_FIELD.value),
      failing: [EXTRA_FIELD.name],
      only: studioOnly('an unknown field is ignored (runner-observed O28: 200; contract-notes §2.2.2 and §2.4 row "unknown extra field": the gateway ignores it too)'),
    },
    {
      doc: 'DOC-03',
      case: 'too large',
      pipeline: p.id,
      title: `DOC-03 ${p.path} with a prompt of ${LONG_PROMPT_LENGTH} characters (a JSON body over 100 kB) answers 422 naming prompt`,
      draft: withField(minimal, 'prompt', 'a'.repeat(LONG_PROMPT_LENGTH)),
      failing: ['prompt'],
      only: studioOnly('neither limits a JSON body (contract-notes §2.4 row "big upload": the runner limits only audio-to-text and image-to-text files, the gateway has no limit of its own)'),
    },
  ];
}

/** Whether a case's request is sent to this target (else its test is skipped with `only.reason`). */
export const sentTo = (c: ValidationCase, target: TargetId): boolean => !c.only || c.only.targets.includes(target);

const doc04 = (p: Pipeline): ValidationCase => ({
  doc: 'DOC-04',
  pipeline: p.id,
  title: `DOC-04 ${p.path} with ${modelField(p.id)} "${NOT_A_MODEL}" answers 422 naming ${modelField(p.id)}`,
  draft: withModel(minimalDraft(p.id), NOT_A_MODEL),
  failing: [modelField(p.id)],
});

/** DOC-05: the whole request as JSON, files as data URLs; the failing field is the file field. */
const doc05 = (p: Pipeline): ValidationCase => {
  const files = p.fileFields.map((f) => f.name);
  return {
    doc: 'DOC-05',
    pipeline: p.id,
    title: `DOC-05 JSON body to ${p.path} answers 422 naming ${files.join(' or ')}`,
    draft: encodedAs(minimalDraft(p.id), 'json'),
    failing: files,
  };
};

const doc06 = (p: Pipeline, values: Record<string, number>): ValidationCase => {
  const fields = Object.keys(values);
  return {
    doc: 'DOC-06',
    pipeline: p.id,
    title: `DOC-06 ${p.path} with ${fields.join(', ')} as ${fields.length > 1 ? 'strings' : 'a string'} answers 422 naming ${fields.join(' or ')}`,
    draft: integersAsStrings(minimalDraft(p.id), values),
    failing: fields,
  };
};

/** Every validation case, in DOC order, then pipeline order of the catalogue. */
export function validationCases(): ValidationCase[] {
  const pipelines = pipelineList();
  return [
    ...pipelines.map(doc02),
    ...pipelines.map(doc03),
    ...doc03Flaws(),
    ...pipelines.map(doc04),
    ...pipelines.filter((p) => p.encoding === 'multipart').map(doc05),
    ...pipelines.flatMap((p) => {
      const values = STRING_INTEGERS[p.id];
      return values ? [doc06(p, values)] : [];
    }),
  ];
}
