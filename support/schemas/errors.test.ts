// Each error dialect accepts real bodies from the reference and rejects others with a message
// naming the field; the builders match one exact body; failingFields reads the field a 422 names.
// Bodies are quoted from runner-observed.md (exchange ids), docs-job-debugging.txt (the docs'
// pydantic v1 example) and contract-notes.md §2.2 (gateway) and §2.3.3 (Studio).
import { describe, expect, test } from 'vitest';
import {
  APIError,
  AjvError,
  FastApiValidationError,
  GatewayError,
  HTTPError,
  PlainTextError,
  PydanticItem,
  PydanticV1Item,
  PydanticV2Item,
  StarletteError,
  StudioAjvErrors,
  StudioAjvItem,
  StudioErrors,
  errorDialect,
  failingFields,
  fastApiMissing,
  gatewayError,
  parseStudioAjvItems,
  plainText,
  runnerMsg,
  starletteDetail,
  studioAjv,
  studioErrors,
  type ErrorDialect,
} from './errors.ts';
import { accepted, rejection } from './schema-assertions.ts';

// --- runner (runner-observed.md)
const O1 = { detail: 'Method Not Allowed' }; // GET on a POST route, 405
const O6 = { detail: 'Not Found' }; // unknown path, 404
const O33 = { detail: 'There was an error parsing the body' }; // body not UTF-8, 400
const O56 = { detail: 'Missing boundary in multipart.' }; // 400
const O77 = { detail: { msg: "Error parsing JSON for point_coords: Expecting ',' delimiter: line 1 column 7 (char 6)" } }; // 400
const O85 = { detail: { msg: 'pipeline configured with meta-llama/Meta-Llama-3.1-8B-Instruct but called with not-a-model' } }; // 400
const O96 = { detail: { msg: 'Invalid bearer token.' } }; // 401
const O16 = { detail: [{ type: 'missing', loc: ['body', 'prompt'], msg: 'Field required', input: {} }] };
const O29 = { detail: [{ type: 'json_invalid', loc: ['body', 10], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } }] };
const O30 = { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] };
const O40 = {
  detail: [
    { type: 'missing', loc: ['body', 'prompt'], msg: 'Field required', input: null },
    { type: 'missing', loc: ['body', 'image'], msg: 'Field required', input: null },
  ],
};
const O42 = { detail: [{ type: 'missing', loc: ['body', 'audio'], msg: 'Field required', input: null }] };
const O51 = {
  detail: [
    { type: 'value_error', loc: ['body', 'image'], msg: "Value error, Expected UploadFile, received: <class 'str'>", input: 'notafile', ctx: { error: {} } },
  ],
};
const O87 = { detail: [{ type: 'missing', loc: ['body', 'messages', 0, 'role'], msg: 'Field required', input: { content: 'hi' } }] };
const O52 = 'Internal Server Error'; // undecodable image: 500 text/plain
// --- the docs page (docs-job-debugging.txt, "422 validation errors"): pydantic v1
const DOCS_422 = { detail: [{ loc: ['body', 'model_id'], msg: 'field required', type: 'value_error.missing' }] };
// --- gateway (contract-notes §2.2.1, §2.2.2, §2.2.5)
const GATEWAY_503 = { error: { message: 'Service Unavailable Error' } };
const GATEWAY_400_NOT_MULTIPART = { error: { message: "request Content-Type isn't multipart/form-data" } };
const GATEWAY_404 = '404 page not found';
// --- Studio (contract-notes §2.3.3)
const STUDIO_404 = { errors: ['not found'] };
const STUDIO_429 = { errors: ['Too many AI requests'] };
const STUDIO_NOT_MULTIPART = { errors: ['Expected multipart/form-data content-type'] };
const AJV_WIDTH = {
  instancePath: '/width',
  schemaPath: '#/properties/width/type',
  keyword: 'type',
  params: { type: 'integer' },
  message: 'must be integer',
};
const STUDIO_422_WIDTH = {
  errors: ['{"instancePath":"/width","schemaPath":"#/properties/width/type","keyword":"type","params":{"type":"integer"},"message":"must be integer"}'],
};
// ajv v8's `required` and `additionalProperties` errors, with the messages §2.3.3 lists.
const STUDIO_422_REQUIRED = {
  errors: [JSON.stringify({ instancePath: '', schemaPath: '#/required', keyword: 'required', params: { missingProperty: 'prompt' }, message: "must have required property 'prompt'" })],
};
const STUDIO_422_EXTRA = {
  errors: [
    JSON.stringify({
      instancePath: '',
      schemaPath: '#/additionalProperties',
      keyword: 'additionalProperties',
      params: { additionalProperty: 'colour' },
      message: 'must NOT have additional properties',
    }),
  ],
};
// The docs v2 401 body that no layer sends (contract-notes §6.5).
const DOCS_V2_401 = { error: 'Unauthorized', message: 'Invalid API key' };

describe('runner route errors (HTTPError)', () => {
  test('APIError and HTTPError accept runner-observed O77 (400), O85 (400) and O96 (401)', () => {
    accepted(APIError, O96.detail);
    for (const body of [O77, O85, O96]) accepted(HTTPError, body);
  });
  test('HTTPError rejects the Starlette string detail (O1) and a detail without msg', () => {
    const starlette = rejection(HTTPError, O1);
    expect(starlette).toContain('expected object, received string');
    expect(starlette).toContain('→ at detail');
    expect(rejection(HTTPError, { detail: { message: 'x' } })).toContain('→ at detail.msg');
    expect(rejection(APIError, { msg: 1 })).toContain('→ at msg');
  });
});

describe('FastAPI 422 (pydantic)', () => {
  test('PydanticV2Item accepts runner items: O16 (missing), O29 (json_invalid, numeric loc, ctx), O30 (input null), O51 (ctx.error {})', () => {
    for (const body of [O16, O29, O30, O51]) accepted(PydanticV2Item, body.detail[0]);
  });
  test('PydanticV2Item rejects the docs\' v1 item (no input) and a loc that is not an array', () => {
    expect(rejection(PydanticV2Item, DOCS_422.detail[0])).toContain('→ at input');
    expect(rejection(PydanticV2Item, { ...O16.detail[0], loc: 'body.prompt' })).toContain('→ at loc');
  });

  test('PydanticV1Item accepts the docs page\'s item ("field required", "value_error.missing")', () => {
    accepted(PydanticV1Item, DOCS_422.detail[0]);
  });
  test('PydanticV1Item rejects a v2 item (O16) for its input key, and an item without msg', () => {
    expect(rejection(PydanticV1Item, O16.detail[0])).toContain('Unrecognized key: "input"');
    expect(rejection(PydanticV1Item, { loc: ['body', 'model_id'], type: 'value_error.missing' })).toContain('→ at msg');
  });

  test('PydanticItem accepts both versions and names both shapes when it rejects', () => {
    accepted(PydanticItem, O16.detail[0]);
    accepted(PydanticItem, DOCS_422.detail[0]);
    expect(rejection(PydanticItem, { loc: ['body', 'prompt'] })).toContain('expected a pydantic v2 item {type, loc, msg, input, ctx?} or a v1 item');
  });

  test('FastApiValidationError accepts runner O16, O29, O30, O40, O42, O51, O87 and the docs v1 body', () => {
    for (const body of [O16, O29, O30, O40, O42, O51, O87, DOCS_422]) accepted(FastApiValidationError, body);
  });
  test('FastApiValidationError rejects an empty detail, a bad item (naming its index) and the Starlette string', () => {
    expect(rejection(FastApiValidationError, { detail: [] })).toContain('→ at detail');
    expect(rejection(FastApiValidationError, { detail: [O16.detail[0], { msg: 'x' }] })).toContain('→ at detail[1]');
    expect(rejection(FastApiValidationError, O1)).toContain('expected array, received string');
  });
});

describe('Starlette, gateway, Studio, plain text', () => {
  test('StarletteError accepts runner-observed O1 (405), O6 (404), O33 and O56 (400)', () => {
    for (const body of [O1, O6, O33, O56]) accepted(StarletteError, body);
  });
  test('StarletteError rejects a FastAPI 422 (O16) and a runner HTTPError (O96) at detail', () => {
    expect(rejection(StarletteError, O16)).toContain('→ at detail');
    expect(rejection(StarletteError, O96)).toContain('expected string, received object');
  });

  test('GatewayError accepts contract-notes §2.2.5 503 and §2.2.2 400 bodies', () => {
    accepted(GatewayError, GATEWAY_503);
    accepted(GatewayError, GATEWAY_400_NOT_MULTIPART);
  });
  test('GatewayError rejects a Studio body, the docs v2 401 shape (§6.5) and a numeric message', () => {
    expect(rejection(GatewayError, STUDIO_404)).toContain('→ at error');
    expect(rejection(GatewayError, DOCS_V2_401)).toContain('expected object, received string');
    expect(rejection(GatewayError, { error: { message: 503 } })).toContain('→ at error.message');
  });

  test('StudioErrors accepts contract-notes §2.3.3 bodies: 404, 429, 422 plain and 422 ajv', () => {
    for (const body of [STUDIO_404, STUDIO_429, STUDIO_NOT_MULTIPART, STUDIO_422_WIDTH]) accepted(StudioErrors, body);
  });
  test('StudioErrors rejects an empty list, a string errors and a non-string item', () => {
    expect(rejection(StudioErrors, { errors: [] })).toContain('→ at errors');
    expect(rejection(StudioErrors, { errors: 'not found' })).toContain('expected array, received string');
    expect(rejection(StudioErrors, { errors: [{ message: 'x' }] })).toContain('→ at errors[0]');
  });

  test('AjvError accepts the error inside the §2.3.3 422 item and rejects one without instancePath', () => {
    accepted(AjvError, AJV_WIDTH);
    const { instancePath: _omitted, ...noPath } = AJV_WIDTH;
    expect(rejection(AjvError, noPath)).toContain('→ at instancePath');
  });
  test('StudioAjvItem parses the §2.3.3 item; StudioAjvErrors rejects a plain-string item and a wrong field inside the JSON', () => {
    expect(accepted(StudioAjvItem, STUDIO_422_WIDTH.errors[0])).toEqual(AJV_WIDTH);
    accepted(StudioAjvErrors, STUDIO_422_WIDTH);
    const plain = rejection(StudioAjvErrors, STUDIO_NOT_MULTIPART);
    expect(plain).toContain('expected JSON text, got "Expected multipart/form-data content-type"');
    expect(plain).toContain('→ at errors[0]');
    expect(rejection(StudioAjvErrors, { errors: [JSON.stringify({ ...AJV_WIDTH, keyword: 7 })] })).toContain('→ at errors[0].keyword');
  });

  test('parseStudioAjvItems returns ajv errors parsed and plain items as strings', () => {
    expect(parseStudioAjvItems(STUDIO_422_WIDTH)).toEqual([AJV_WIDTH]);
    expect(parseStudioAjvItems(STUDIO_NOT_MULTIPART)).toEqual(['Expected multipart/form-data content-type']);
    expect(parseStudioAjvItems({ errors: ['{"not":"ajv"}'] })).toEqual(['{"not":"ajv"}']);
  });
  test('parseStudioAjvItems throws a readable error for a body of another dialect', () => {
    expect(() => parseStudioAjvItems(GATEWAY_503)).toThrow(/not a Studio errors body: .*\n.*→ at errors/);
  });

  test('PlainTextError accepts the runner\'s O52 500 and the gateway\'s Go 404 text; it rejects an empty body', () => {
    accepted(PlainTextError, O52);
    accepted(PlainTextError, GATEWAY_404);
    expect(rejection(PlainTextError, '')).toContain('Too small');
  });

  test.for<[unknown, ErrorDialect | undefined]>([
    [O96, 'runner-http-error'],
    [O16, 'fastapi-validation'],
    [DOCS_422, 'fastapi-validation'],
    [O1, 'starlette'],
    [GATEWAY_503, 'gateway'],
    [STUDIO_422_WIDTH, 'studio'],
    [O52, 'plain-text'],
    [DOCS_V2_401, undefined],
  ])('errorDialect(%j) is %s', ([body, dialect]) => {
    expect(errorDialect(body)).toBe(dialect);
  });
});

describe('builders', () => {
  test('studioErrors matches exactly one item: §2.3.3 404, the no-token 401 by pattern', () => {
    accepted(studioErrors('not found'), STUDIO_404);
    accepted(studioErrors(/^no token .+ found$/), { errors: ['no token abc123 found'] });
    expect(rejection(studioErrors('not found'), { errors: ['not found', 'again'] })).toContain('→ at errors');
    expect(rejection(studioErrors('not found'), STUDIO_429)).toContain('expected "not found"');
    expect(rejection(studioErrors('not found'), { ...STUDIO_404, extra: 1 })).toContain('Unrecognized key: "extra"');
  });
  test('gatewayError matches the §2.2.5 503 body, and rejects another message at error.message', () => {
    accepted(gatewayError('Service Unavailable Error'), GATEWAY_503);
    accepted(gatewayError(/Content-Type isn't multipart/), GATEWAY_400_NOT_MULTIPART);
    expect(rejection(gatewayError('Service Unavailable Error'), { error: { message: 'Internal Server Error' } })).toContain('→ at error.message');
  });
  test('runnerMsg matches O96 and O85 (pattern), and rejects O1 at detail', () => {
    accepted(runnerMsg('Invalid bearer token.'), O96);
    accepted(runnerMsg(/^pipeline configured with .+ but called with not-a-model$/), O85);
    expect(rejection(runnerMsg('Invalid bearer token'), O96)).toContain('→ at detail.msg');
    expect(rejection(runnerMsg('Invalid bearer token.'), O1)).toContain('→ at detail');
  });
  test('starletteDetail matches O1 and rejects O6 at detail', () => {
    accepted(starletteDetail('Method Not Allowed'), O1);
    expect(rejection(starletteDetail('Method Not Allowed'), O6)).toContain('→ at detail');
  });
  test('plainText matches O52 exactly', () => {
    accepted(plainText('Internal Server Error'), O52);
    expect(rejection(plainText('Internal Server Error'), 'Internal Server Error\n')).toContain('expected "Internal Server Error"');
  });
  test('studioAjv matches the §2.3.3 width error and rejects another field or keyword', () => {
    const width = studioAjv({ instancePath: '/width', keyword: 'type', message: 'must be integer' });
    accepted(width, STUDIO_422_WIDTH);
    accepted(studioAjv({ keyword: 'required', params: { missingProperty: 'prompt' } }), STUDIO_422_REQUIRED);
    expect(rejection(width, { errors: [JSON.stringify({ ...AJV_WIDTH, instancePath: '/height' })] })).toContain('→ at errors[0].instancePath');
    expect(rejection(studioAjv({ params: { missingProperty: 'image' } }), STUDIO_422_REQUIRED)).toContain('→ at errors[0].params.missingProperty');
    expect(rejection(width, STUDIO_NOT_MULTIPART)).toContain('expected JSON text');
  });
  test('fastApiMissing matches O40 (prompt, image), O16, O42 and O87 (nested path)', () => {
    accepted(fastApiMissing(['prompt', 'image']), O40);
    accepted(fastApiMissing(['prompt']), O16);
    accepted(fastApiMissing(['audio']), O42);
    accepted(fastApiMissing([['messages', 0, 'role']]), O87);
  });
  test('fastApiMissing rejects the wrong order, a missing item, another type and the v1 docs body', () => {
    expect(rejection(fastApiMissing(['image', 'prompt']), O40)).toContain('→ at detail[0].loc[1]');
    expect(rejection(fastApiMissing(['prompt', 'image']), O16)).toContain('→ at detail');
    expect(rejection(fastApiMissing(['image']), O51)).toContain('→ at detail[0].type');
    const v1 = rejection(fastApiMissing(['model_id']), DOCS_422);
    expect(v1).toContain('→ at detail[0].type');
    expect(v1).toContain('→ at detail[0].msg');
    expect(v1).toContain('→ at detail[0].input');
  });
  test('fastApiMissing refuses an empty field list', () => {
    expect(() => fastApiMissing([])).toThrow('at least one field');
  });
});

describe('failingFields (DOC-03)', () => {
  test.for<[string, unknown, string[]]>([
    ['docs v1 body', DOCS_422, ['model_id']],
    ['runner O16', O16, ['prompt']],
    ['runner O40', O40, ['prompt', 'image']],
    ['runner O51', O51, ['image']],
    ['runner O87 (nested)', O87, ['role']],
    ['runner O29 (char offset)', O29, []],
    ['runner O30 (whole body)', O30, []],
    ['Studio ajv /width', STUDIO_422_WIDTH, ['width']],
    ['Studio ajv required', STUDIO_422_REQUIRED, ['prompt']],
    ['Studio ajv additionalProperties', STUDIO_422_EXTRA, ['colour']],
    ['Studio plain string', STUDIO_NOT_MULTIPART, []],
    ['gateway 400', GATEWAY_400_NOT_MULTIPART, []],
    ['Starlette 405', O1, []],
  ])('%s names %j', ([, body, fields]) => {
    expect(failingFields(body)).toEqual(fields);
  });

  test('an ajv instancePath below the body names its last non-index segment, unescaped', () => {
    const item = (instancePath: string) => ({ errors: [JSON.stringify({ ...AJV_WIDTH, instancePath })] });
    expect(failingFields(item('/messages/0/role'))).toEqual(['role']);
    expect(failingFields(item('/a~1b'))).toEqual(['a/b']);
  });
});
