import { webClientOf, type AppRecord, type AppRegistry } from '../store/app-registry.js';
import type { ConversationOwner } from '../store/conversation-store.js';
import type { ServiceApiKeyStore } from '../store/service-api-key-store.js';
import { originAllowed } from './origin.js';
import { ProblemError } from './problem.js';
import { bearerToken, verifySessionToken, type SessionClaims } from './tokens.js';

/** Who is calling a run route, once {@link authenticateCaller} has accepted the request. */
export interface Caller {
  /** `session`: an end user's token; `service_key`: a server-to-server key; `paired_key`: seed 004. */
  kind: 'session' | 'service_key' | 'paired_key';
  app: AppRecord;
  /** The `anon_…` subject, or the key's id: whose conversations these are. */
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

function unauthorized(detail: string, error = true): ProblemError {
  return new ProblemError('unauthorized', detail, { 'www-authenticate': error ? 'Bearer error="invalid_token"' : 'Bearer' });
}

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

function requireAgent(requested: string | undefined, allowed: string | null): void {
  if (requested !== undefined && requested !== allowed) throw new ProblemError('forbidden', 'Agent not allowed for this app');
}

/**
 * The one place every run route (chat, completions, conversations, feedback, events) learns who
 * is calling. `Authorization: Bearer` carries one of:
 * - an anonymous session token (with `x-inkeep-app-id`): the app must still exist, be enabled,
 *   allow anonymous sessions and have the token's tenant and project; the `Origin` must be allowed;
 * - a server-to-server API key: no Origin check, its own app and agent only (`x-inkeep-app-id`,
 *   when sent, must name that app); the app must still be in the key's tenant and project;
 * - a paired key (seed 004, with `x-inkeep-app-id`): its app; a browser's Origin must be allowed.
 * `x-inkeep-agent-id`, when sent, must be the caller's one agent.
 * @throws ProblemError 401 (no or invalid credential), 403 (origin or agent not allowed).
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
      throw new ProblemError('forbidden', 'Origin not allowed');
    }
    requireAgent(headers.agentId, app.defaultAgentId);
    return { kind: 'paired_key', app, id: paired.id, agentId: app.defaultAgentId, owner: ownerOf(app, paired.id) };
  }
  throw unauthorized('The API key is not valid.');
}

async function sessionCaller(deps: CallerAuthDeps, token: string, headers: CallerHeaders): Promise<Caller> {
  if (!headers.appId) throw unauthorized('A session token needs the x-inkeep-app-id header naming its app.', false);
  const claims = await verifySessionToken(deps.jwtSecret, token, deps.now);
  if (!claims || claims.app !== headers.appId) {
    throw unauthorized(`${INVALID_JWT}: the session token is not valid for this app, or has expired.`);
  }
  const app = await deps.registry.get(headers.appId);
  const web = app?.enabled ? webClientOf(app) : undefined;
  if (!app || !web?.allowAnonymous) throw unauthorized(`${INVALID_JWT}: this app no longer accepts anonymous sessions.`);
  if (!tokenMatchesApp(claims, app)) throw unauthorized(`${INVALID_JWT}: this token was issued for another tenant or project.`);
  if (!originAllowed(headers.origin, web.allowedDomains)) throw new ProblemError('forbidden', 'Origin not allowed');
  requireAgent(headers.agentId, app.defaultAgentId);
  return { kind: 'session', app, id: claims.sub, agentId: app.defaultAgentId, owner: ownerOf(app, claims.sub) };
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
