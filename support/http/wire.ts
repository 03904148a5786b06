// What a request is, before it is sent: method, path, body and the kind of credential.
// Specs build these (see requests.ts); the client encodes them; cassettes match on their parts.
import { createHash } from 'node:crypto';

export interface FilePart {
  name: string;
  file: { bytes: Uint8Array; filename: string; contentType: string };
}
export interface TextPart {
  name: string;
  value: string;
}
export type Part = FilePart | TextPart;

export type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'multipart'; parts: Part[] }
  /** Raw text with a declared content type (or none): for deliberately wrong requests. */
  | { kind: 'text'; text: string; contentType?: string };

/**
 * Which credential to send. `key` is the configured key (a placeholder in replay); `unknown-key`
 * is a well-formed bearer token no target knows; `malformed` is a scheme with no token;
 * `token-scheme` is the configured key (else the unknown one, where none is configured) under the
 * scheme `Token` instead of `Bearer`.
 */
export type AuthMode = 'key' | 'none' | 'malformed' | 'unknown-key' | 'token-scheme';

/** What cassettes keep of the Authorization header: never the key itself. `other-scheme`: a credential under a scheme other than Bearer. */
export type AuthFingerprint = 'absent' | 'malformed' | 'bearer' | 'bearer-unknown' | 'other-scheme';

export interface RequestSpec {
  method: string;
  path: string;
  body: Body;
  auth: AuthMode;
  headers?: Record<string, string>;
  /** Runs a model (costs money live): counted against LIVEPEER_MAX_PAID_REQUESTS. */
  paid?: boolean;
}

/** The token the suite sends to prove an unknown key is refused. Not a secret. */
export const UNKNOWN_KEY = 'lp-contract-suite-unknown-key';

export function authorizationHeader(mode: AuthMode, key: string | undefined): string | undefined {
  switch (mode) {
    case 'key':
      return key ? `Bearer ${key}` : undefined;
    case 'unknown-key':
      return `Bearer ${UNKNOWN_KEY}`;
    case 'malformed':
      return 'Bearer';
    case 'token-scheme':
      return `Token ${key ?? UNKNOWN_KEY}`;
    case 'none':
      return undefined;
  }
}

/** The token of an `Authorization: Bearer <token>` value (the scheme in any letter case), if it is one. */
export function bearerToken(header: string | null | undefined): string | undefined {
  return header ? /^\s*Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

/** Classifies an Authorization header value without keeping it. */
export function authFingerprint(header: string | undefined): AuthFingerprint {
  if (header === undefined || header.trim() === '') return 'absent';
  const token = bearerToken(header);
  if (token === undefined) return /^\s*\w+\s+\S/.test(header) && !/^\s*Bearer\s/i.test(header) ? 'other-scheme' : 'malformed';
  return token === UNKNOWN_KEY ? 'bearer-unknown' : 'bearer';
}

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export const isFilePart = (p: Part): p is FilePart => 'file' in p;

/** The parts of a multipart body as cassettes keep and compare them (file bytes as a hash). */
export type PartSummary =
  | { name: string; value: string }
  | { name: string; filename: string; contentType: string; size: number; sha256: string };

export function summarisePart(p: Part): PartSummary {
  if (!isFilePart(p)) return { name: p.name, value: p.value };
  return {
    name: p.name,
    filename: p.file.filename,
    contentType: p.file.contentType,
    size: p.file.bytes.byteLength,
    sha256: sha256(p.file.bytes),
  };
}

/** Encodes a body for fetch. Multipart goes through FormData + Blob so undici writes the boundary. */
export function encodeBody(body: Body): { init: { body?: string | FormData }; contentType?: string } {
  switch (body.kind) {
    case 'none':
      return { init: {} };
    case 'json':
      return { init: { body: JSON.stringify(body.value) }, contentType: 'application/json' };
    case 'text':
      return { init: { body: body.text }, contentType: body.contentType };
    case 'multipart': {
      const form = new FormData();
      for (const p of body.parts) {
        if (isFilePart(p)) form.append(p.name, new Blob([p.file.bytes], { type: p.file.contentType }), p.file.filename);
        else form.append(p.name, p.value);
      }
      return { init: { body: form } };
    }
  }
}

/** A short human summary of a request body, for reports and failure messages. */
export function describeBody(body: Body): unknown {
  switch (body.kind) {
    case 'none':
      return null;
    case 'json':
      return body.value;
    case 'text':
      return { contentType: body.contentType ?? '(none)', text: body.text.length > 500 ? `${body.text.slice(0, 500)}…` : body.text };
    case 'multipart':
      return { multipart: body.parts.map(summarisePart) };
  }
}
