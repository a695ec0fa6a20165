import { createHash } from 'node:crypto';
import { decodeProtectedHeader, errors, importSPKI, jwtVerify } from 'jose';
import { PUBLIC_KEY_ALGORITHMS, type AppPublicKey, type PublicKeyAlgorithm, type WebClientConfig } from '../state/app-registry.js';

/**
 * Signed-in end users: a JWT the site's own backend signed for its logged-in user, verified
 * against the web app's `publicKeys` with jose. The header's `kid` picks the key and its `alg`
 * must be that key's algorithm; `sub`, `iat` and `exp` are required with `exp − iat` at most a
 * day, custom claims at most 1 KB of JSON, `nbf` honoured, `aud` checked when the app sets
 * `audience`, 60 s of clock tolerance (the hosted API's rules). Only the asymmetric algorithms of
 * {@link PUBLIC_KEY_ALGORITHMS} reach this path: `none` and symmetric algorithms never do.
 */

/** Why a user JWT was refused: the 401's `reason`. */
export const END_USER_JWT_REASONS = [
  'user_token_malformed',
  'user_alg_not_allowed',
  'user_unknown_kid',
  'user_alg_mismatch',
  'user_signature_invalid',
  'user_token_expired',
  'user_token_not_yet_valid',
  'user_audience_mismatch',
  'user_claims_invalid',
] as const;

export type EndUserJwtReason = (typeof END_USER_JWT_REASONS)[number];

/** A verified end user: the `sub` the customer's backend vouches for. */
export interface EndUser {
  sub: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** Longest `sub` accepted; it becomes part of the conversation owner key. */
export const MAX_USER_SUB_LENGTH = 256;
/** Longest user JWT read (a 4096-bit RS512 token with a few claims is about 1 KB). */
const MAX_TOKEN_LENGTH = 8192;
/** Imported keys kept; an app has at most 10, so this covers hundreds of busy apps. */
const KEY_CACHE_SIZE = 1024;
/** Tolerated clock skew between the customer's backend and this server, in seconds. */
export const USER_JWT_CLOCK_TOLERANCE_SECONDS = 60;
/** Longest lifetime a user token may claim (`exp − iat`), in seconds. */
export const MAX_USER_TOKEN_LIFETIME_SECONDS = 86_400;
/** Largest JSON of the claims beyond the registered ones, in bytes. */
export const MAX_CUSTOM_CLAIMS_BYTES = 1024;
const REGISTERED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti']);

const ALGORITHMS = new Set<string>(PUBLIC_KEY_ALGORITHMS);
type PublicKey = Awaited<ReturnType<typeof importSPKI>>;

/** Whether a JWT's header names an algorithm of the signed-in-user path (any other goes elsewhere or is refused). */
export function isUserTokenAlgorithm(alg: unknown): alg is PublicKeyAlgorithm {
  return typeof alg === 'string' && ALGORITHMS.has(alg);
}

/** The protected header's `alg` and `kid`, or `undefined` when the token has no readable header. */
export function tokenHeader(token: string): { alg?: string; kid?: string } | undefined {
  try {
    const header = decodeProtectedHeader(token);
    return { alg: header.alg, kid: header.kid };
  } catch {
    return undefined;
  }
}

/** Imported public keys by PEM digest and algorithm, least recently used dropped first. */
const importedKeys = new Map<string, Promise<PublicKey>>();

function importKey(key: AppPublicKey): Promise<PublicKey> {
  const id = `${key.algorithm}:${createHash('sha256').update(key.publicKey).digest('base64url')}`;
  const cached = importedKeys.get(id);
  if (cached) {
    importedKeys.delete(id);
    importedKeys.set(id, cached);
    return cached;
  }
  const imported = importSPKI(key.publicKey, key.algorithm);
  imported.catch(() => importedKeys.delete(id));
  importedKeys.set(id, imported);
  if (importedKeys.size > KEY_CACHE_SIZE) importedKeys.delete(importedKeys.keys().next().value!);
  return imported;
}

function reasonOf(error: unknown): EndUserJwtReason {
  if (error instanceof errors.JWTExpired) return 'user_token_expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'user_audience_mismatch'; // wrong or missing
    if (error.reason === 'missing') return 'user_claims_invalid';
    if (error.claim === 'nbf' || error.claim === 'iat') return 'user_token_not_yet_valid';
    return 'user_claims_invalid';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'user_signature_invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'user_alg_mismatch';
  return 'user_token_malformed';
}

/**
 * Verifies `token` for a web app: the user it names, or the reason it is refused.
 * `now` is epoch milliseconds.
 */
export async function verifyEndUserToken(
  web: WebClientConfig['webClient'],
  token: string,
  now: number,
): Promise<EndUser | { reason: EndUserJwtReason }> {
  if (token.length > MAX_TOKEN_LENGTH) return { reason: 'user_token_malformed' };
  const header = tokenHeader(token);
  if (!header) return { reason: 'user_token_malformed' };
  if (!isUserTokenAlgorithm(header.alg)) return { reason: 'user_alg_not_allowed' };
  const key = (web.publicKeys ?? []).find((candidate) => candidate.kid === header.kid);
  if (!key) return { reason: 'user_unknown_kid' };
  if (key.algorithm !== header.alg) return { reason: 'user_alg_mismatch' };
  try {
    const { payload } = await jwtVerify(token, await importKey(key), {
      algorithms: [key.algorithm],
      requiredClaims: ['exp', 'iat', 'sub'],
      currentDate: new Date(now),
      clockTolerance: USER_JWT_CLOCK_TOLERANCE_SECONDS,
      ...(web.audience !== undefined ? { audience: web.audience } : {}),
    });
    const { sub, exp, iat } = payload;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_USER_SUB_LENGTH || typeof exp !== 'number' || typeof iat !== 'number') {
      return { reason: 'user_claims_invalid' };
    }
    if (exp - iat > MAX_USER_TOKEN_LIFETIME_SECONDS) return { reason: 'user_claims_invalid' };
    const custom = Object.fromEntries(Object.entries(payload).filter(([name]) => !REGISTERED_CLAIMS.has(name)));
    if (Buffer.byteLength(JSON.stringify(custom)) > MAX_CUSTOM_CLAIMS_BYTES) return { reason: 'user_claims_invalid' };
    return { sub, expiresAt: exp };
  } catch (error) {
    return { reason: reasonOf(error) };
  }
}
