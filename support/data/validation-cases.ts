// The requests of the validation specs (DOC-02 to DOC-06), one per documented 422 cause and
// pipeline, with the field a documented 422 must name. Declared once here because three readers
// need the same requests: the spec, the registry pins (support/deviations/validation.ts) and the
// cassette authoring script (fixtures/authoring/validation.ts).
import { modelField, pipelineList, type DocId, type Pipeline, type PipelineId } from '../catalogue.ts';
import { encodedAs, integersAsStrings, minimalDraft, withModel, withoutField, withoutModel, type RequestDraft } from './requests.ts';

export interface ValidationCase {
  doc: DocId;
  pipeline: PipelineId;
  /** The test name without the target: `DOC-05 JSON body to /upscale answers 422 naming image`. */
  title: string;
  /** The request; `paid` as the minimal draft has it (a spec makes it unpaid where the target refuses it). */
  draft: RequestDraft;
  /** Fields a documented 422 may name to identify what failed (any one of them). */
  failing: readonly string[];
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
    pipeline: p.id,
    title: `DOC-03 ${p.path} without ${field} answers 422 naming ${field}`,
    draft: withoutField(minimalDraft(p.id), field),
    failing: [field],
  };
};

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
    ...pipelines.map(doc04),
    ...pipelines.filter((p) => p.encoding === 'multipart').map(doc05),
    ...pipelines.flatMap((p) => {
      const values = STRING_INTEGERS[p.id];
      return values ? [doc06(p, values)] : [];
    }),
  ];
}
