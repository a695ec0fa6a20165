import { ServerError } from './errors.js';

/** Parses a JSON body into an object, or 400. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ServerError('bad_request', 'Request body must be JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ServerError('bad_request', 'Request body must be a JSON object.');
  return body as Record<string, unknown>;
}
