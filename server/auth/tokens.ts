import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'inkeep';
const ALG = 'HS256';

/** The claims of an anonymous session token, exactly as the hosted API issues them. */
export interface SessionClaims {
  sub: string;
  iss: 'inkeep';
  iat: number;
  exp: number;
  tid: string | null;
  pid: string;
  app: string;
  type: 'anonymous';
}

/** Which app a token is issued for. */
export interface TokenSubjectApp {
  id: string;
  tenantId: string | null;
  projectId: string;
}

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** A new anonymous identity, `anon_<uuid v4>`. */
export function newAnonymousId(): string {
  return `anon_${randomUUID()}`;
}

/** Signs an HS256 session token for `sub`, valid for `lifetimeSeconds` from `now`. */
export async function issueSessionToken(
  secret: string,
  app: TokenSubjectApp,
  sub: string,
  lifetimeSeconds: number,
  now: Date = new Date(),
): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + lifetimeSeconds;
  const token = await new SignJWT({ tid: app.tenantId, pid: app.projectId, app: app.id, type: 'anonymous' })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(keyOf(secret));
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * Verifies a session token (HS256, issuer `inkeep`, not expired) and checks its
 * anonymous-session claims. Returns `undefined` for anything else; callers
 * decide whether that means 401 or "start a new identity". `now` (epoch ms) decides expiry.
 */
export async function verifySessionToken(secret: string, token: string, now: () => number = Date.now): Promise<SessionClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { algorithms: [ALG], issuer: ISSUER, currentDate: new Date(now()) });
    const { sub, iat, exp, tid, pid, app, type } = payload;
    if (typeof sub !== 'string' || !sub.startsWith('anon_')) return undefined;
    if (type !== 'anonymous' || typeof app !== 'string' || typeof pid !== 'string') return undefined;
    if (typeof iat !== 'number' || typeof exp !== 'number') return undefined;
    if (tid !== null && typeof tid !== 'string') return undefined;
    return { sub, iss: ISSUER, iat, exp, tid, pid, app, type };
  } catch {
    return undefined;
  }
}

/** The token of an `Authorization: Bearer <token>` header, or `undefined`. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}
