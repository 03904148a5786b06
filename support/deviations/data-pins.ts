// Pins as data: what a target was seen to answer in a live or record run, proposed by
// `npm run pins -- --propose` into `<fixtures>/pins/<target>.json` and reviewed as a `git diff`.
// Each entry is as exact as a pin in code (a status, and a body shape with the observed message
// text) and cites the run it came from; it overrides the code pin of the same check, target,
// pipeline and case. A withdrawal retires a code pin whose documented behaviour now holds.
// Loaded and checked with the code pins at setup (support/deviations/registry.ts).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CHECK_IDS, PIPELINE_IDS, TARGET_IDS, type ResponseModel, type TargetId } from '../catalogue.ts';
import { FastApiValidationError, gatewayError, PydanticV2Item, RESPONSE_SCHEMAS, responseSchemaFor, runnerMsg, starletteDetail, studioErrors, plainText } from '../schemas/index.ts';
import type { Deviation } from './types.ts';

export const PINS_FILE_VERSION = 1;

/** The command that turns a live run's `changed` verdicts into proposed pins (scripts/pins.ts). */
export const PROPOSE_COMMAND = 'npm run pins -- --propose';
const RESPONSE_MODELS = Object.keys(RESPONSE_SCHEMAS) as [ResponseModel, ...ResponseModel[]];

/** A body shape a data file can say: an error dialect with its exact text, or the model a 200 parses as. */
export const PinBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('studio-errors'), messages: z.array(z.string()).min(1) }),
  z.strictObject({ kind: z.literal('gateway-error'), message: z.string() }),
  z.strictObject({ kind: z.literal('runner-msg'), message: z.string() }),
  z.strictObject({ kind: z.literal('starlette-detail'), message: z.string() }),
  /** FastAPI 422: exactly these items, by type and location. */
  z.strictObject({ kind: z.literal('fastapi-detail'), items: z.array(z.strictObject({ type: z.string(), loc: z.array(z.union([z.string(), z.number()])) })).min(1) }),
  z.strictObject({ kind: z.literal('plain-text'), text: z.string() }),
  /** A 2xx body that parses as the spec's response model (in the target's form). */
  z.strictObject({ kind: z.literal('model'), model: z.enum(RESPONSE_MODELS) }),
  /** A 2xx body no spec model takes: a JSON object with exactly these keys. */
  z.strictObject({ kind: z.literal('keys'), keys: z.array(z.string()) }),
  z.strictObject({ kind: z.literal('empty') }),
]);
export type PinBody = z.infer<typeof PinBody>;

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date');

/** The run a pin was seen in. */
export const SeenIn = z.strictObject({ run: z.string(), date: isoDate, mode: z.enum(['live', 'record']), host: z.string(), version: z.string().optional(), test: z.string() });

export const DataPin = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case words joined by -'),
  check: z.enum(CHECK_IDS),
  pipelines: z.union([z.literal('all'), z.array(z.enum(PIPELINE_IDS)).min(1)]),
  case: z.string().optional(),
  summary: z.string().min(10),
  pinned: z.strictObject({ summary: z.string().min(1), status: z.union([z.number().int().min(100).max(599), z.literal('dropped')]), body: PinBody.optional() }),
  evidence: z.array(z.string()),
  seenIn: SeenIn,
  /** The code pin it replaces, where one said something else (kept for the review). */
  replaces: z.string().optional(),
});
export type DataPin = z.infer<typeof DataPin>;

export const Withdrawal = z.strictObject({ id: z.string(), evidence: z.array(z.string()).min(1), seenIn: SeenIn });
export type Withdrawal = z.infer<typeof Withdrawal>;

export const PinsFile = z.strictObject({
  pins: z.literal(PINS_FILE_VERSION),
  target: z.enum(TARGET_IDS),
  entries: z.array(DataPin),
  withdrawn: z.array(Withdrawal),
});
export type PinsFile = z.infer<typeof PinsFile>;

export class PinsFileError extends Error {
  override name = 'PinsFileError';
}

export const pinsDir = (fixturesDir: string) => join(fixturesDir, 'pins');
export const pinsPath = (fixturesDir: string, target: TargetId) => join(pinsDir(fixturesDir), `${target}.json`);

/** The zod schema a body shape stands for, for the target the pin is on. */
export function bodySchema(body: PinBody, target: TargetId): z.ZodType {
  switch (body.kind) {
    case 'studio-errors': {
      const [first, ...rest] = body.messages.map((m) => z.literal(m));
      return body.messages.length === 1 ? studioErrors(body.messages[0]!) : z.strictObject({ errors: z.tuple([first!, ...rest]) });
    }
    case 'gateway-error':
      return gatewayError(body.message);
    case 'runner-msg':
      return runnerMsg(body.message);
    case 'starlette-detail':
      return starletteDetail(body.message);
    case 'fastapi-detail': {
      const items = body.items.map((i) => PydanticV2Item.extend({ type: z.literal(i.type), loc: z.tuple(i.loc.map((p) => z.literal(p)) as [z.ZodLiteral<string | number>]) }));
      const [first, ...rest] = items;
      return FastApiValidationError.extend({ detail: z.tuple([first!, ...rest]) });
    }
    case 'plain-text':
      return plainText(body.text);
    case 'model':
      return responseSchemaFor(body.model, target);
    case 'keys':
      return z.record(z.string(), z.unknown()).refine((v) => JSON.stringify(Object.keys(v).sort()) === JSON.stringify([...body.keys].sort()), { error: `expected exactly the keys ${body.keys.join(', ')}` });
    case 'empty':
      return z.union([z.literal(''), z.undefined(), z.null()]);
  }
}

/** A data pin as the registry holds it. */
export function toDeviation(p: DataPin, target: TargetId, file: string): Deviation {
  return {
    id: p.id,
    check: p.check,
    target,
    pipelines: p.pipelines,
    ...(p.case !== undefined ? { case: p.case as never } : {}),
    summary: p.summary,
    pinned: { summary: p.pinned.summary, status: p.pinned.status, ...(p.pinned.body ? { body: bodySchema(p.pinned.body, target) } : {}) },
    evidence: [...p.evidence, `observed in the ${p.seenIn.mode} run ${p.seenIn.run} against ${p.seenIn.host} on ${p.seenIn.date}${p.seenIn.version ? ` (version ${p.seenIn.version})` : ''}: ${p.seenIn.test}`],
    from: file,
  };
}

/** Reads one target's pins file, or none. A file that does not parse names itself and the place. */
export function readPinsFile(fixturesDir: string, target: TargetId): PinsFile | undefined {
  const file = pinsPath(fixturesDir, target);
  if (!existsSync(file)) return undefined;
  return parsePinsFile(file, readFileSync(file, 'utf8'), target);
}

export function parsePinsFile(file: string, text: string, target?: TargetId): PinsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PinsFileError(`${file}: not valid JSON (${(err as Error).message}): restore it from git, or propose again (npm run pins -- --propose).`);
  }
  const parsed = PinsFile.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `  - ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
    throw new PinsFileError(`${file}: not a valid pins file:\n${problems.join('\n')}`);
  }
  if (target && parsed.data.target !== target) throw new PinsFileError(`${file}: declares target "${parsed.data.target}" but is the file of target "${target}".`);
  return parsed.data;
}

/** Every pins file under a fixtures folder: target files only (a stray file is an error). */
export function loadPinsFiles(fixturesDir: string): { target: TargetId; file: string; pins: PinsFile }[] {
  const dir = pinsDir(fixturesDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const target = TARGET_IDS.find((t) => `${t}.json` === name);
      if (!target) throw new PinsFileError(`${join(dir, name)}: no target has this pins file: use ${TARGET_IDS.map((t) => `${t}.json`).join(', ')}.`);
      return { target, file: join(dir, name), pins: readPinsFile(fixturesDir, target)! };
    });
}

export function writePinsFile(fixturesDir: string, pins: PinsFile): string {
  const file = pinsPath(fixturesDir, pins.target);
  mkdirSync(pinsDir(fixturesDir), { recursive: true });
  writeFileSync(file, `${JSON.stringify(PinsFile.parse(pins), null, 2)}\n`);
  return file;
}
