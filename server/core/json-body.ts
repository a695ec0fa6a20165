import { ServerError } from './errors.js';

/** How a body that is not a JSON object is told, per API (each keeps the texts it always sent). */
export interface JsonBodyTexts {
  notJson: string;
  notObject: string;
}

/** The run API's texts (chat, conversations, feedback, events). */
export const RUN_JSON_TEXTS: JsonBodyTexts = { notJson: 'Request body must be JSON.', notObject: 'Request body must be a JSON object.' };
/** The manage API's texts. */
export const MANAGE_JSON_TEXTS: JsonBodyTexts = { notJson: 'Request body must be valid JSON', notObject: 'Request body must be a JSON object' };

/** Parses a JSON body into an object, or 400 in the words of `texts`. */
export function parseJsonObject(text: string, texts: JsonBodyTexts = RUN_JSON_TEXTS): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ServerError('bad_request', texts.notJson);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ServerError('bad_request', texts.notObject);
  return body as Record<string, unknown>;
}
