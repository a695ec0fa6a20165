import { decodeJwt } from 'jose/jwt/decode';
import { InkAuthError } from '../errors.js';

/** What the library needs from a session token (read, not verified: the server verifies). */
export interface DecodedSession {
  anonId: string;
  /** Expiry, epoch milliseconds. */
  expiresAt: number;
  /** Issue time, epoch milliseconds, or null when the token has no `iat`. */
  issuedAt: number | null;
}

/**
 * Decodes `sub` and `exp` of a session JWT and rejects tokens the library must never cache:
 * not a JWT, no `sub`, no `exp`, or `exp` already past.
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
  const expiresAt = claims.exp * 1000;
  if (expiresAt <= now) throw new InkAuthError('invalid_token', 'The session token has already expired.');
  return { anonId: claims.sub, expiresAt, issuedAt: typeof claims.iat === 'number' ? claims.iat * 1000 : null };
}
