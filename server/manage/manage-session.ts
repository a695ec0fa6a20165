import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { ReplayStore } from '../state/replay-store.js';
import type { AdminKey } from './admin-auth.js';

/**
 * Admin sessions for the manage API's `cookieAuth` (seeds 002, 003): a browser console signs in
 * once with an admin key and then sends the `better-auth.session_token` cookie instead of the key.
 *
 * The cookie is an HS256 JWT under a key derived from the server's session secret (never the
 * anonymous-session key itself, and with its own audience, so neither token passes for the other).
 * It names the tenant, a random session id and a binding to the admin key that opened it: an
 * HMAC of the key's digest, so the cookie neither carries the key nor lets anyone test guesses
 * of it offline, and removing the key from `INK_AUTH_ADMIN_KEYS` ends its sessions. Signing out
 * records the session id in the replay store until the cookie's own expiry (shared by instances
 * on one database), so a copied cookie dies with the sign-out.
 */

/** The cookie's name, as the seeds' `cookieAuth` scheme gives it. */
export const MANAGE_SESSION_COOKIE = 'better-auth.session_token';

/** How long a session lasts from sign-in, in seconds (8 hours: a working day, then the key again). */
export const MANAGE_SESSION_LIFETIME_SECONDS = 8 * 60 * 60;

const AUDIENCE = 'ink-auth-manage';
const ISSUER = 'ink-auth';
const ALG = 'HS256';
const REVOKED_PREFIX = 'manage-session-revoked:';
/** Longest cookie value read; a real one is about 300 characters. */
const MAX_TOKEN_LENGTH = 2048;

/** Every `reason` a refused manage session answers with (a cookie write from another origin included). */
export const MANAGE_SESSION_REASONS = [
  'session_invalid',
  'session_expired',
  'session_revoked',
  'session_key_removed',
  'wrong_tenant',
  'cross_origin_request',
] as const;

/** Why a session cookie was not accepted (the 401/403's `reason`). */
export type SessionRefusal =
  | { reason: 'session_invalid' | 'session_expired' | 'session_revoked' | 'session_key_removed'; status: 401 }
  | { reason: 'wrong_tenant'; status: 403 };

/** An accepted session: whom it serves and until when. */
export interface ManageSession {
  tenantId: string;
  sessionId: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** The claims a verified cookie must carry besides the registered ones jose checks. */
const SESSION_CLAIMS = z.object({ tenant: z.string(), sid: z.string(), kb: z.string(), exp: z.number() });
type SessionClaims = z.output<typeof SESSION_CLAIMS>;

export interface ManageSessionOptions {
  /** The server's session secret (`INKEEP_ANON_JWT_SECRET`); the cookie key is derived from it. */
  secret: string;
  keys: readonly AdminKey[];
  /** Where sign-outs are remembered until the cookie expires. */
  revocations: ReplayStore;
  /** Epoch milliseconds. */
  now?: () => number;
  lifetimeSeconds?: number;
}

/** Issues, verifies and revokes admin session cookies. */
export class ManageSessions {
  readonly #key: Buffer;
  readonly #keys: readonly AdminKey[];
  readonly #revocations: ReplayStore;
  readonly #now: () => number;
  readonly #lifetime: number;

  constructor(options: ManageSessionOptions) {
    this.#key = createHmac('sha256', options.secret).update('ink-auth manage session v1').digest();
    this.#keys = options.keys;
    this.#revocations = options.revocations;
    this.#now = options.now ?? Date.now;
    this.#lifetime = options.lifetimeSeconds ?? MANAGE_SESSION_LIFETIME_SECONDS;
  }

  /** How long a session lasts from sign-in. */
  get lifetimeSeconds(): number {
    return this.#lifetime;
  }

  /** Opens a session for `tenantId` with a presented admin key; the caller has checked it (`ok`). */
  async issue(tenantId: string, presentedKey: string): Promise<{ token: string; session: ManageSession }> {
    const iat = Math.floor(this.#now() / 1000);
    const session = { tenantId, sessionId: randomBytes(16).toString('base64url'), expiresAt: iat + this.#lifetime };
    const digest = createHash('sha256').update(presentedKey, 'utf8').digest();
    const token = await new SignJWT({ tenant: tenantId, sid: session.sessionId, kb: this.#binding(digest) })
      .setProtectedHeader({ alg: ALG, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(session.expiresAt)
      .sign(this.#key);
    return { token, session };
  }

  /** Checks a cookie for `tenantId`: signature, expiry, sign-out, the admin key still configured. */
  async verify(token: string, tenantId: string): Promise<ManageSession | SessionRefusal> {
    const claims = await this.#claims(token);
    if ('reason' in claims) return claims;
    if (claims.tenant !== tenantId) return { reason: 'wrong_tenant', status: 403 };
    if (!this.#keyStillConfigured(claims)) return { reason: 'session_key_removed', status: 401 };
    if (await this.#revocations.seen(REVOKED_PREFIX + claims.sid)) return { reason: 'session_revoked', status: 401 };
    return { tenantId: claims.tenant, sessionId: claims.sid, expiresAt: claims.exp };
  }

  /** Ends a verified session everywhere until its cookie would have expired anyway. */
  async revoke(session: ManageSession): Promise<void> {
    await this.#revocations.consume(REVOKED_PREFIX + session.sessionId, session.expiresAt * 1000);
  }

  async #claims(token: string): Promise<SessionClaims | SessionRefusal> {
    if (token.length > MAX_TOKEN_LENGTH) return { reason: 'session_invalid', status: 401 };
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: [ALG],
        audience: AUDIENCE,
        issuer: ISSUER,
        requiredClaims: ['exp', 'iat'],
        currentDate: new Date(this.#now()),
        clockTolerance: 0,
      });
      const claims = SESSION_CLAIMS.safeParse(payload);
      return claims.success ? claims.data : { reason: 'session_invalid', status: 401 };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { reason: 'session_expired', status: 401 };
      return { reason: 'session_invalid', status: 401 };
    }
  }

  /** Every configured key of the tenant is compared (constant time), as checkAdminKey does. */
  #keyStillConfigured(claims: SessionClaims): boolean {
    const presented = Buffer.from(claims.kb, 'utf8');
    let found = false;
    for (const key of this.#keys) {
      if (key.tenantId !== claims.tenant) continue;
      const expected = Buffer.from(this.#binding(key.digest), 'utf8');
      if (expected.length === presented.length && timingSafeEqual(expected, presented)) found = true;
    }
    return found;
  }

  #binding(keyDigest: Buffer): string {
    return createHmac('sha256', this.#key).update('admin-key').update(keyDigest).digest('base64url');
  }
}
