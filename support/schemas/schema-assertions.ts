// What the schema self-tests ask of a schema: accept a reference body, or reject a broken one
// with zod's own readable message (which the tests then check names the right field).
import { expect } from 'vitest';
import { z } from 'zod';

/** The parsed value, or a thrown error carrying zod's own readable message. */
export function accepted(schema: z.ZodType, body: unknown): unknown {
  const result = schema.safeParse(body);
  if (!result.success) throw new Error(`rejected a body it should accept:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** zod's readable message for a body the schema must reject. */
export function rejection(schema: z.ZodType, body: unknown): string {
  const result = schema.safeParse(body);
  expect(result.success, 'the schema accepted a body it must reject').toBe(false);
  return result.success ? '' : z.prettifyError(result.error);
}
