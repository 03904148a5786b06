// What a target says about the end of a route: a `410 Gone` answer (go-livepeer #4036 retires the
// batch routes that way) and the Deprecation (RFC 9745), Sunset (RFC 8594) and Warning (RFC 7234
// §5.5) headers it may send with any answer, even a 200 (go-livepeer #3997: `Deprecation: true`,
// `Sunset: <HTTP-date>`, `Warning: 299 - "pipeline … is deprecated and no longer supported"`).
import type { Exchange } from './exchange.ts';

export interface SunsetHeaders {
  deprecation?: string;
  sunset?: string;
  warning?: string;
}

/** The end-of-life headers of an answer, or undefined when it carries none. */
export function sunsetHeaders(x: Exchange): SunsetHeaders | undefined {
  const h = x.response?.headers;
  if (!h) return undefined;
  const found: SunsetHeaders = {
    ...(h.deprecation !== undefined ? { deprecation: h.deprecation } : {}),
    ...(h.sunset !== undefined ? { sunset: h.sunset } : {}),
    ...(h.warning !== undefined ? { warning: h.warning } : {}),
  };
  return Object.keys(found).length ? found : undefined;
}

/** Whether the answer says the route is gone. */
export const isGone = (x: Exchange): boolean => x.response?.status === 410;

/** The error text of a 410: the message in any error dialect the layers speak, else the body text. */
export function goneMessage(x: Exchange): string {
  const json = x.response?.json as { error?: { message?: unknown } | string; errors?: unknown[]; detail?: unknown; message?: unknown } | undefined;
  const candidates = [
    typeof json?.error === 'object' ? json.error?.message : json?.error,
    Array.isArray(json?.errors) ? json.errors[0] : undefined,
    typeof json?.detail === 'string' ? json.detail : (json?.detail as { msg?: unknown } | undefined)?.msg,
    json?.message,
    x.response?.text,
  ];
  const text = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  return text?.trim() ?? '410 Gone (no message)';
}
