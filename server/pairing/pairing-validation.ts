import { APP_ID_PATTERN } from '../apps/app-rules.js';
import { pairingProblem } from '../core/pairing-errors.js';

/** Body of `POST /v1/auth/challenges`. */
export interface ChallengeRequest {
  appName: string;
  /** The app to pair for when named in the body (`app_id`); the header may name it instead. */
  appId: string | undefined;
}

/** Body of `POST /v1/auth/api_keys`. */
export interface ApiKeyRequest {
  challengeId: string;
  code: string;
  appId: string | undefined;
}

const MAX_APP_NAME = 100;
const CHALLENGE_ID = /^[0-9a-f]{24}$/;
const CODE = /^[0-9]{4}$/;
// Printable: no C0/C1 controls, no line/paragraph separators, no lone surrogates.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// Format controls: bidi overrides/isolates/marks (U+202A…202E, U+2066…2069, U+200E/F, U+061C),
// zero-width characters (U+200B…200D, U+2060, U+FEFF), soft hyphen… They can reorder or hide
// what the operator reads next to the code, so a name carrying one is refused outright.
const FORMAT_CONTROL = /\p{Cf}/u;

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw pairingProblem('invalid_body', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function optionalAppId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !APP_ID_PATTERN.test(value)) {
    throw pairingProblem('invalid_body', '"app_id" must be an app id such as "app_…".');
  }
  return value;
}

/** Validates a challenge request: `app_name` is 1…100 printable characters (code points). */
export function parseChallengeRequest(body: unknown): ChallengeRequest {
  const record = asObject(body);
  const name = record['app_name'];
  if (typeof name !== 'string') {
    throw pairingProblem('invalid_app_name', '"app_name" is required and must be a string.');
  }
  const length = [...name].length;
  if (name.trim() === '' || length > MAX_APP_NAME || UNPRINTABLE.test(name)) {
    throw pairingProblem(
      'invalid_app_name',
      `"app_name" must be 1 to ${MAX_APP_NAME} printable characters and not only spaces.`,
    );
  }
  if (FORMAT_CONTROL.test(name)) {
    const found = FORMAT_CONTROL.exec(name)?.[0] ?? '';
    const codePoint = `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw pairingProblem(
      'invalid_app_name',
      `"app_name" must not contain invisible or direction-changing characters (found ${codePoint}): they could make the console show something other than the name.`,
    );
  }
  return { appName: name, appId: optionalAppId(record['app_id']) };
}

/** Validates a key request: a 24-hex `challenge_id` and a `code` of exactly 4 ASCII digits. */
export function parseApiKeyRequest(body: unknown): ApiKeyRequest {
  const record = asObject(body);
  const challengeId = record['challenge_id'];
  if (typeof challengeId !== 'string' || !CHALLENGE_ID.test(challengeId)) {
    throw pairingProblem('invalid_challenge_id', '"challenge_id" must be the 24 hex characters returned by /v1/auth/challenges.');
  }
  const code = record['code'];
  if (typeof code !== 'string' || !CODE.test(code)) {
    throw pairingProblem('invalid_code_format', '"code" must be exactly 4 digits (0-9) as a string.');
  }
  return { challengeId, code, appId: optionalAppId(record['app_id']) };
}
