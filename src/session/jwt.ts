import { decodeJwt } from 'jose/jwt/decode';
import { InkAuthError } from '../errors.js';

/** What the library needs from a session token (read, not verified: the server verifies). */
export interface DecodedSession {
  anonId: string;
  /** Expiry on the page's clock, epoch milliseconds (see {@link decodeSessionToken}). */
  expiresAt: number;
  /** Issue time, epoch milliseconds, or null when the token has no `iat`. */
  issuedAt: number | null;
}

/**
 * Decodes `sub` and `exp` of a session JWT and rejects tokens the library must never cache:
 * not a JWT, no `sub`, no `exp`, or already expired. The expiry is read on the page's clock: with
 * `iat` (the server's clock when it issued the token, which is just now for a token the server
 * sent), the token lives `exp − iat` from `now`, so a device clock hours off neither refuses a
 * fresh token nor keeps a dead one; without `iat`, `exp` as it is.
 */
export function decodeSessionToken(token: string, now: number = Date.now()): DecodedSession {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(token);
  } catch (error) {
    throw new InkAuthError('invalid_token', 'The session token is not a JWT.', { cause: error });
  }
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) {
    throw new InkAuthError('invalid_token', 'The session token has no subject (anon_ id).');
  }
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) {
    throw new InkAuthError('invalid_token', 'The session token has no expiry.');
  }
  const issuedAt = typeof claims.iat === 'number' && Number.isFinite(claims.iat) ? claims.iat * 1000 : null;
  const expiresAt = issuedAt === null ? claims.exp * 1000 : now + claims.exp * 1000 - issuedAt;
  if (expiresAt <= now) throw new InkAuthError('invalid_token', 'The session token has already expired.');
  return { anonId: claims.sub, expiresAt, issuedAt };
}
