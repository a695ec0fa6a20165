import { webClientOf, type AppRecord, type AppRegistry } from '../state/app-registry.js';
import type { ConversationOwner } from '../state/conversation-store.js';
import type { ServiceApiKeyStore } from '../state/service-api-key-store.js';
import { originAllowed } from '../apps/origin.js';
import { ServerError } from '../core/errors.js';
import { MAX_USER_SUB_LENGTH, tokenHeader, verifyEndUserToken, type EndUserJwtReason } from './end-user-jwt.js';
import { bearerToken, verifySessionToken, type SessionClaims } from './tokens.js';

/** Who is calling a run route, once {@link authenticateCaller} has accepted the request. */
export interface Caller {
  /**
   * `session`: an anonymous session token; `user`: a signed-in end user's JWT (signed by the
   * site's backend); `service_key`: a server-to-server key; `paired_key`: seed 004.
   */
  kind: 'session' | 'user' | 'service_key' | 'paired_key';
  app: AppRecord;
  /** The `anon_…` subject, the signed-in user's `sub`, or the key's id: who is calling. */
  id: string;
  /** The one agent this caller may talk to. */
  agentId: string | null;
  /** Where this caller's conversations live: tenant, project, app and identity. */
  owner: ConversationOwner;
}

/** The request headers caller authentication reads. */
export interface CallerHeaders {
  authorization: string | undefined;
  appId: string | undefined;
  origin: string | undefined;
  agentId: string | undefined;
}

/** What caller authentication checks against. */
export interface CallerAuthDeps {
  jwtSecret: string;
  /** Clock in epoch milliseconds that session tokens expire by. Default `Date.now`. */
  now?: () => number;
  registry: Pick<AppRegistry, 'get'>;
  serviceKeys?: Pick<ServiceApiKeyStore, 'verify'>;
  /** Code pairing: the record of a valid paired key (it serves `appId` only), else `undefined`. */
  verifyPairedKey?: (apiKey: string) => Promise<{ id: string; appId: string } | undefined>;
}

// The hosted widget (@inkeep/agents-ui) renews its session and resends only when a 401's detail
// contains "Bearer token required" or "Invalid end-user JWT", on chat, history, feedback and events
// alike: the details of a missing or refused session token start with those texts.
const REQUIRED = 'Bearer token required: send a session token or API key for this app.';
const INVALID_JWT = 'Invalid end-user JWT';

function unauthorized(detail: string, error = true, reason?: string): ServerError {
  return new ServerError('unauthorized', detail, { authenticate: error ? 'Bearer error="invalid_token"' : 'Bearer', ...(reason ? { reason } : {}) });
}

const USER_REFUSALS: Record<EndUserJwtReason, string> = {
  user_token_malformed: 'the token cannot be read',
  user_alg_not_allowed: "its alg is not one of the app's public-key algorithms",
  user_unknown_kid: "its kid names none of the app's public keys",
  user_alg_mismatch: "its alg is not the algorithm of the key its kid names",
  user_signature_invalid: "its signature does not verify with the app's key",
  user_token_expired: 'it has expired',
  user_token_not_yet_valid: 'it is not valid yet',
  user_audience_mismatch: "its aud is not the app's audience",
  user_claims_invalid: `it needs a sub of 1…${MAX_USER_SUB_LENGTH} characters, iat and exp at most a day apart, and at most 1 KB of custom claims`,
};

/**
 * A session token is bound to the app's tenant and project as they were when it was issued: an
 * app id that was deleted and re-created elsewhere must not honour the old tenant's tokens.
 */
export function tokenMatchesApp(claims: SessionClaims, app: AppRecord): boolean {
  return claims.app === app.id && claims.tid === app.tenantId && claims.pid === app.projectId;
}

function ownerOf(app: AppRecord, id: string): ConversationOwner {
  return { tenantId: app.tenantId, projectId: app.projectId, appId: app.id, ownerId: id };
}

/**
 * A signed-in user's history is keyed `user:<sub>`: the customer's backend picks `sub` freely, so
 * without the prefix a token with `sub: "anon_…"` or a key id would reach that caller's history.
 */
export function userOwnerId(sub: string): string {
  return `user:${sub}`;
}

function requireAgent(requested: string | undefined, allowed: string | null): void {
  if (requested !== undefined && requested !== allowed) throw new ServerError('forbidden', 'Agent not allowed for this app');
}

/**
 * The one place every run route (chat, completions, conversations, feedback, events) learns who
 * is calling. `Authorization: Bearer` carries one of:
 * - an anonymous session token (with `x-inkeep-app-id`): the app must still exist, be enabled,
 *   allow anonymous sessions and have the token's tenant and project; the `Origin` must be allowed;
 * - a signed-in user's JWT (with `x-inkeep-app-id`), signed by the site's backend with one of the
 *   web app's `publicKeys` (end-user-jwt.ts): served whether or not the app allows anonymous
 *   sessions; the `Origin` must be allowed; its history is keyed `user:<sub>`;
 * - a server-to-server API key: no Origin check, its own app and agent only (`x-inkeep-app-id`,
 *   when sent, must name that app); the app must still be in the key's tenant and project;
 * - a paired key (seed 004, with `x-inkeep-app-id`): its app; a browser's Origin must be allowed.
 * `x-inkeep-agent-id`, when sent, must be the caller's one agent.
 * @throws ServerError 401 (no or invalid credential), 403 (origin or agent not allowed).
 */
export async function authenticateCaller(deps: CallerAuthDeps, headers: CallerHeaders): Promise<Caller> {
  const credential = bearerToken(headers.authorization);
  if (!credential) throw unauthorized(REQUIRED, false);
  // JWTs have three dot-separated parts; API keys (base64 or sk_…) never contain a dot.
  if (credential.split('.').length === 3) return sessionCaller(deps, credential, headers);
  const serviceKey = await deps.serviceKeys?.verify(credential);
  if (serviceKey) {
    const app = await deps.registry.get(serviceKey.appId);
    const sameScope = app?.tenantId === serviceKey.tenantId && app.projectId === serviceKey.projectId;
    if (!app?.enabled || !sameScope) throw unauthorized('The app of this API key is gone or disabled.');
    if (headers.appId !== undefined && headers.appId !== app.id) throw unauthorized('This API key serves another app.');
    requireAgent(headers.agentId, serviceKey.agentId);
    return { kind: 'service_key', app, id: serviceKey.id, agentId: serviceKey.agentId, owner: ownerOf(app, serviceKey.id) };
  }
  const paired = await deps.verifyPairedKey?.(credential);
  if (paired) {
    if (!headers.appId || headers.appId !== paired.appId) throw unauthorized('This API key serves another app.');
    const app = await deps.registry.get(paired.appId);
    if (!app?.enabled) throw unauthorized('The app of this API key is gone or disabled.');
    const web = webClientOf(app);
    // A paired key was approved by a person, not by anonymous-session rules; a browser using it
    // must still be on one of the app's origins.
    if (web && headers.origin !== undefined && !originAllowed(headers.origin, web.allowedDomains)) {
      throw new ServerError('forbidden', 'Origin not allowed');
    }
    requireAgent(headers.agentId, app.defaultAgentId);
    return { kind: 'paired_key', app, id: paired.id, agentId: app.defaultAgentId, owner: ownerOf(app, paired.id) };
  }
  throw unauthorized('The API key is not valid.');
}

async function sessionCaller(deps: CallerAuthDeps, token: string, headers: CallerHeaders): Promise<Caller> {
  if (!headers.appId) throw unauthorized('A session token needs the x-inkeep-app-id header naming its app.', false);
  // Our anonymous tokens are HS256; any other readable alg is a user token (where only the app's
  // asymmetric algorithms pass). An unreadable header is refused as an anonymous token always was.
  const header = tokenHeader(token);
  if (header && header.alg !== 'HS256') return userCaller(deps, token, headers);
  const claims = await verifySessionToken(deps.jwtSecret, token, deps.now);
  if (!claims || claims.app !== headers.appId) {
    throw unauthorized(`${INVALID_JWT}: the session token is not valid for this app, or has expired.`);
  }
  const app = await deps.registry.get(headers.appId);
  const web = app?.enabled ? webClientOf(app) : undefined;
  if (!app || !web?.allowAnonymous) throw unauthorized(`${INVALID_JWT}: this app no longer accepts anonymous sessions.`);
  if (!tokenMatchesApp(claims, app)) throw unauthorized(`${INVALID_JWT}: this token was issued for another tenant or project.`);
  if (!originAllowed(headers.origin, web.allowedDomains)) throw new ServerError('forbidden', 'Origin not allowed');
  requireAgent(headers.agentId, app.defaultAgentId);
  return { kind: 'session', app, id: claims.sub, agentId: app.defaultAgentId, owner: ownerOf(app, claims.sub) };
}

async function userCaller(deps: CallerAuthDeps, token: string, headers: CallerHeaders): Promise<Caller> {
  const app = await deps.registry.get(headers.appId!);
  const web = app?.enabled ? webClientOf(app) : undefined;
  if (!app || !web) throw unauthorized(`${INVALID_JWT}: no enabled web app ${headers.appId} to verify it.`, true, 'user_unknown_kid');
  const user = await verifyEndUserToken(web, token, (deps.now ?? Date.now)());
  if ('reason' in user) throw unauthorized(`${INVALID_JWT}: ${USER_REFUSALS[user.reason]}.`, true, user.reason);
  if (!originAllowed(headers.origin, web.allowedDomains)) throw new ServerError('forbidden', 'Origin not allowed');
  requireAgent(headers.agentId, app.defaultAgentId);
  return { kind: 'user', app, id: user.sub, agentId: app.defaultAgentId, owner: ownerOf(app, userOwnerId(user.sub)) };
}

/** The caller headers of a Hono request. */
export function callerHeaders(header: (name: string) => string | undefined): CallerHeaders {
  return {
    authorization: header('authorization'),
    appId: header('x-inkeep-app-id'),
    origin: header('origin'),
    agentId: header('x-inkeep-agent-id'),
  };
}
