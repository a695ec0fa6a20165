import { APP_ID_PATTERN } from '../apps/app-rules.js';
import { z } from 'zod';
import { pairingProblem, type PairingReason } from '../core/pairing-errors.js';

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

const APP_ID = '"app_id" must be an app id such as "app_…".';
const CHALLENGE_ID_RULE = '"challenge_id" must be the 24 hex characters returned by /v1/auth/challenges.';
const CODE_RULE = '"code" must be exactly 4 digits (0-9) as a string.';
const NAME_REQUIRED = '"app_name" is required and must be a string.';
const NAME_RULE = `"app_name" must be 1 to ${MAX_APP_NAME} printable characters and not only spaces.`;

/** The pairing reason of each field's failures (a body that is no object: `invalid_body`). */
const REASON_OF: Readonly<Record<string, PairingReason>> = {
  app_name: 'invalid_app_name',
  challenge_id: 'invalid_challenge_id',
  code: 'invalid_code_format',
};

/** An app id, or `undefined` when absent or null. */
const appId = z
  .string({ message: APP_ID })
  .regex(APP_ID_PATTERN, APP_ID)
  .nullish()
  .transform((value) => value ?? undefined);

/** `app_name`: 1…100 printable characters (code points), not only spaces, no format controls. */
const appName = z.string({ message: NAME_REQUIRED }).superRefine((name, ctx) => {
  if (name.trim() === '' || [...name].length > MAX_APP_NAME || UNPRINTABLE.test(name)) {
    ctx.addIssue({ code: 'custom', message: NAME_RULE });
    return;
  }
  const found = FORMAT_CONTROL.exec(name)?.[0];
  if (found !== undefined) {
    const codePoint = `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    ctx.addIssue({
      code: 'custom',
      message: `"app_name" must not contain invisible or direction-changing characters (found ${codePoint}): they could make the console show something other than the name.`,
    });
  }
});

const BODY = { message: 'The request body must be a JSON object.' };
const CHALLENGE_REQUEST = z.object({ app_name: appName, app_id: appId }, BODY);
const API_KEY_REQUEST = z.object(
  {
    challenge_id: z.string({ message: CHALLENGE_ID_RULE }).regex(CHALLENGE_ID, CHALLENGE_ID_RULE),
    code: z.string({ message: CODE_RULE }).regex(CODE, CODE_RULE),
    app_id: appId,
  },
  BODY,
);

/** `body` as `schema` reads it, or the pairing failure of its first failing field. */
function parsePairingBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const field = String(issue?.path[0] ?? '');
  throw pairingProblem(REASON_OF[field] ?? 'invalid_body', issue?.message ?? BODY.message);
}

/** Validates a challenge request: `app_name` is 1…100 printable characters (code points). */
export function parseChallengeRequest(body: unknown): ChallengeRequest {
  const { app_name: appName, app_id: appId } = parsePairingBody(CHALLENGE_REQUEST, body);
  return { appName, appId };
}

/** Validates a key request: a 24-hex `challenge_id` and a `code` of exactly 4 ASCII digits. */
export function parseApiKeyRequest(body: unknown): ApiKeyRequest {
  const { challenge_id: challengeId, code, app_id: appId } = parsePairingBody(API_KEY_REQUEST, body);
  return { challengeId, code, appId };
}
