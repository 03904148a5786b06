// Error bodies, one schema per dialect a user of the generate API can meet (contract-notes.md §2):
//   runner route errors  {"detail":{"msg":"…"}}                 HTTPError (§2.1.1)
//   FastAPI 422          {"detail":[item, …]}                   FastApiValidationError (§2.1.2)
//   Starlette            {"detail":"…"}                         StarletteError (§2.1.1)
//   go-livepeer gateway  {"error":{"message":"…"}}              GatewayError (§2.2.1)
//   Studio               {"errors":["…", …]}                    StudioErrors (§2.3.1); 422 items are ajv JSON text
//   plain text           `Internal Server Error`, `404 page not found` (runner §2.1.1, gateway §2.2.5)
//
// Dialect schemas allow extra keys (no source forbids them) and tell the dialects apart by the
// type of `detail` (object, array, string). The builders below describe one exact body (strict
// objects, one-item tuples) for expectations and deviation pins.
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Runner (ai-runner routes/utils.py::http_error; spec HTTPError/APIError)

export const APIError = z.looseObject({
  msg: z.string(),
});
export type APIError = z.infer<typeof APIError>;

export const HTTPError = z.looseObject({
  detail: APIError,
});
export type HTTPError = z.infer<typeof HTTPError>;

// ---------------------------------------------------------------------------------------------
// FastAPI request validation (422)

/** `loc`: where the error is, e.g. ["body","prompt"] or ["body",10] (a char offset, O29). */
const Loc = z.array(z.union([z.string(), z.int()]));

/**
 * pydantic v1 (FastAPI < 0.100), as the docs page shows it:
 * `{"loc":["body","model_id"],"msg":"field required","type":"value_error.missing"}`.
 * Strict: v1 error dicts carry only these keys (and `ctx` for some types), so a v2 item, which
 * always has `input`, is not taken for a v1 one.
 */
export const PydanticV1Item = z.strictObject({
  loc: Loc,
  msg: z.string(),
  type: z.string(),
  ctx: z.record(z.string(), z.unknown()).optional(),
});
export type PydanticV1Item = z.infer<typeof PydanticV1Item>;

/**
 * pydantic v2, as the runner sends it (runner-observed O16, O29, O51):
 * `{"type":"missing","loc":["body","prompt"],"msg":"Field required","input":{}}`, plus `ctx` for
 * some types. `input` is always present, though it may be null (O30). FastAPI 0.100–0.110.1 also
 * added `url` (contract-notes §2.1.2), hence extra keys are allowed.
 */
export const PydanticV2Item = z.looseObject({
  type: z.string(),
  loc: Loc,
  msg: z.string(),
  input: z.unknown(),
  ctx: z.record(z.string(), z.unknown()).optional(),
});
export type PydanticV2Item = z.infer<typeof PydanticV2Item>;

export const PydanticItem = z.union([PydanticV2Item, PydanticV1Item], {
  error: 'expected a pydantic v2 item {type, loc, msg, input, ctx?} or a v1 item {loc, msg, type, ctx?}',
});
export type PydanticItem = z.infer<typeof PydanticItem>;

/**
 * The spec's HTTPValidationError makes `detail` optional and its items lack `input`/`ctx`
 * (contract-notes §1.3, §6.14); FastAPI always sends at least one item, so one is required here.
 */
export const FastApiValidationError = z.looseObject({
  detail: z.array(PydanticItem).min(1),
});
export type FastApiValidationError = z.infer<typeof FastApiValidationError>;

// ---------------------------------------------------------------------------------------------
// Starlette HTTPException: 404/405/400 with a string detail (runner-observed O1, O6, O33)

export const StarletteError = z.looseObject({
  detail: z.string(),
});
export type StarletteError = z.infer<typeof StarletteError>;

// ---------------------------------------------------------------------------------------------
// go-livepeer gateway (server/handlers.go::respondJsonError, contract-notes §2.2.1)

export const GatewayError = z.looseObject({
  error: z.looseObject({ message: z.string() }),
});
export type GatewayError = z.infer<typeof GatewayError>;

// ---------------------------------------------------------------------------------------------
// Studio (packages/api/src/middleware/errorHandler.ts, contract-notes §2.3.1)

export const StudioErrors = z.looseObject({
  errors: z.array(z.string()).min(1),
});
export type StudioErrors = z.infer<typeof StudioErrors>;

/**
 * One ajv v8 error, as Studio's 422 puts it JSON-stringified in each `errors` item
 * (middleware/validators.ts L4-20; contract-notes §2.3.3).
 */
export const AjvError = z.looseObject({
  instancePath: z.string(),
  schemaPath: z.string(),
  keyword: z.string(),
  params: z.record(z.string(), z.unknown()),
  message: z.string(),
});
export type AjvError = z.infer<typeof AjvError>;

/** A string holding JSON, parsed; a string that is not JSON is an issue at that string's path. */
const jsonText = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: `expected JSON text, got ${JSON.stringify(text)}` });
    return z.NEVER;
  }
});

/** One Studio 422 item: the JSON text of an ajv error. */
export const StudioAjvItem = jsonText.pipe(AjvError);

/** Studio's 422 for a JSON-schema failure: exactly one ajv error (`allErrors` is off). */
export const StudioAjvErrors = z.looseObject({
  errors: z.tuple([StudioAjvItem]),
});

/**
 * The items of a Studio errors body, each parsed as an ajv error when it is one, else the plain
 * string (e.g. `Expected multipart/form-data content-type`). Throws when `body` is not a Studio
 * errors body.
 */
export function parseStudioAjvItems(body: unknown): Array<AjvError | string> {
  const studio = StudioErrors.safeParse(body);
  if (!studio.success) throw new TypeError(`not a Studio errors body: ${z.prettifyError(studio.error)}`);
  return studio.data.errors.map((item) => {
    const ajv = StudioAjvItem.safeParse(item);
    return ajv.success ? ajv.data : item;
  });
}

// ---------------------------------------------------------------------------------------------
// Plain-text bodies: the runner's uncaught exception (500 text/plain, runner-observed O52), Go's
// ServeMux 404 `404 page not found`, the gateway's `Unexpected response type` (contract-notes §2.2).

export const PlainTextError = z.string().min(1);
export type PlainTextError = z.infer<typeof PlainTextError>;

// ---------------------------------------------------------------------------------------------
// Which dialect a body is

export const ERROR_DIALECTS = {
  'runner-http-error': HTTPError,
  'fastapi-validation': FastApiValidationError,
  starlette: StarletteError,
  gateway: GatewayError,
  studio: StudioErrors,
  'plain-text': PlainTextError,
} as const;
export type ErrorDialect = keyof typeof ERROR_DIALECTS;

/** The first dialect whose schema accepts `body` (they are disjoint), or undefined. */
export function errorDialect(body: unknown): ErrorDialect | undefined {
  const names = Object.keys(ERROR_DIALECTS) as ErrorDialect[];
  return names.find((name) => ERROR_DIALECTS[name].safeParse(body).success);
}

// ---------------------------------------------------------------------------------------------
// Builders: exact bodies for expectations and deviation pins

type Text = string | RegExp;
const text = (message: Text) => (typeof message === 'string' ? z.literal(message) : z.string().regex(message));

/** Studio: `{"errors":[<message>]}`, exactly one item. */
export const studioErrors = (message: Text) => z.strictObject({ errors: z.tuple([text(message)]) });

/** Gateway: `{"error":{"message":<message>}}`. */
export const gatewayError = (message: Text) => z.strictObject({ error: z.strictObject({ message: text(message) }) });

/** Runner route error: `{"detail":{"msg":<message>}}`. */
export const runnerMsg = (message: Text) => z.strictObject({ detail: z.strictObject({ msg: text(message) }) });

/** Starlette: `{"detail":<message>}`. */
export const starletteDetail = (message: Text) => z.strictObject({ detail: text(message) });

/** A text/plain body, exactly. */
export const plainText = (message: Text) => text(message);

export interface AjvExpected {
  instancePath?: string;
  keyword?: string;
  message?: Text;
  params?: Record<string, string>;
}

/** Studio 422: `{"errors":["<ajv JSON>"]}`, one item whose ajv error has the given values. */
export function studioAjv(expected: AjvExpected) {
  const params = expected.params
    ? z.looseObject(Object.fromEntries(Object.entries(expected.params).map(([k, v]) => [k, z.literal(v)])))
    : AjvError.shape.params;
  const error = AjvError.extend({
    instancePath: expected.instancePath === undefined ? z.string() : z.literal(expected.instancePath),
    keyword: expected.keyword === undefined ? z.string() : z.literal(expected.keyword),
    message: expected.message === undefined ? z.string() : text(expected.message),
    params,
  });
  return z.strictObject({ errors: z.tuple([jsonText.pipe(error)]) });
}

/** A body field, or a path below the body (`['messages', 0, 'role']`). */
export type FieldPath = string | readonly (string | number)[];

/**
 * FastAPI 422 (pydantic v2) whose items are exactly one `missing` per field, in this order, e.g.
 * JSON sent to /image-to-image: prompt, image (runner-observed O40).
 */
export function fastApiMissing(fields: readonly FieldPath[]) {
  const [first, ...rest] = fields.map(missingItem);
  if (!first) throw new TypeError('fastApiMissing needs at least one field');
  return z.strictObject({ detail: z.tuple([first, ...rest]) });
}

function missingItem(field: FieldPath) {
  const path = typeof field === 'string' ? [field] : field;
  const loc = ['body', ...path].map((part) => z.literal(part));
  return PydanticV2Item.extend({
    type: z.literal('missing'),
    loc: z.tuple(loc as [z.ZodLiteral<string | number>, ...z.ZodLiteral<string | number>[]]),
    msg: z.literal('Field required'),
  });
}

// ---------------------------------------------------------------------------------------------
// DOC-03: which fields a 422 body names

const LOCATIONS = new Set(['body', 'query', 'path', 'header', 'cookie']);

/**
 * The fields a validation body identifies, in order, without repeats:
 * - FastAPI (v1 or v2 items): the last string element of `loc` after its location (`body`),
 *   so ["body","prompt"] → prompt, ["body","messages",0,"role"] → role; ["body"] (empty body,
 *   O30) and ["body",10] (malformed JSON, O29) name none.
 * - Studio ajv items: `params.missingProperty` / `params.additionalProperty`, else the last
 *   non-index segment of `instancePath` (`/width` → width); plain-string items name none.
 * Any other body names none.
 */
export function failingFields(body: unknown): string[] {
  const fastApi = FastApiValidationError.safeParse(body);
  if (fastApi.success) return unique(fastApi.data.detail.flatMap((item) => fieldOfLoc(item.loc)));
  if (StudioErrors.safeParse(body).success) return unique(parseStudioAjvItems(body).flatMap(fieldOfAjv));
  return [];
}

function fieldOfLoc(loc: readonly (string | number)[]): string[] {
  const rest = typeof loc[0] === 'string' && LOCATIONS.has(loc[0]) ? loc.slice(1) : loc;
  const last = rest.filter((part): part is string => typeof part === 'string').at(-1);
  return last === undefined ? [] : [last];
}

function fieldOfAjv(item: AjvError | string): string[] {
  if (typeof item === 'string') return [];
  for (const key of ['missingProperty', 'additionalProperty']) {
    const named = item.params[key];
    if (typeof named === 'string') return [named];
  }
  // JSON Pointer segments, unescaped (RFC 6901); array indexes are not fields.
  const segments = item.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = segments.filter((s) => !/^\d+$/.test(s)).at(-1);
  return last === undefined ? [] : [last];
}

const unique = (xs: string[]) => [...new Set(xs)];
