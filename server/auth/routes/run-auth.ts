import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { tokenMatchesApp } from '../caller.js';
import { originAllowed } from '../../apps/origin.js';
import { rateKeyOf } from '../../core/client-address.js';
import { ServerError } from '../../core/errors.js';
import type { ProofOfWork } from '../pow.js';
import { bearerToken, issueSessionToken, newAnonymousId, verifySessionToken } from '../tokens.js';
import { webClientOf, type AppRegistry } from '../../state/app-registry.js';

/** What the auth routes need. `pow` is `null` when proof-of-work is off. */
export interface RunAuthDeps {
  /** Signs and verifies session tokens. */
  jwtSecret: string;
  sessionLifetimeSeconds: number;
  registry: AppRegistry;
  pow: ProofOfWork | null;
  /** Clock in epoch milliseconds for token issue and verification. Default `Date.now`. */
  now?: () => number;
}

/**
 * `GET /pow/challenge`, `GET /challenge?appId=` (v2, the hosted widget's) and
 * `POST /apps/:appId/anonymous-session`, mounted at `/run/auth`.
 * The session checks run in the hosted API's order: app, app type, anonymous
 * allowed, origin, proof of work, then the token.
 */
export function runAuthRoutes(deps: RunAuthDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const now = deps.now ?? Date.now;

  routes.get('/pow/challenge', async (c) => {
    if (!deps.pow) throw new ServerError('not_found', 'PoW is not enabled');
    const challenge = await deps.pow.issue(rateKeyOf(c.get('clientAddress')));
    return c.json(challenge, 200, { 'cache-control': 'no-store' });
  });

  // The hosted widget's bot protection (@inkeep/agents-ui): an ALTCHA v2 challenge for an app,
  // solved by the `altcha` widget and sent back as base64(JSON {payload}). App, type and Origin
  // are checked first, as hosted.
  routes.get('/challenge', async (c) => {
    const appId = c.req.query('appId');
    if (!appId) throw new ServerError('bad_request', "Validation failed: 'appId' is required");
    const app = await deps.registry.get(appId);
    if (!app || !app.enabled) throw new ServerError('not_found', `App '${appId}' not found`);
    const web = webClientOf(app);
    if (!web) throw new ServerError('bad_request', 'Bot protection challenges are only available for web_client apps');
    if (!originAllowed(c.req.header('origin'), web.allowedDomains)) throw new ServerError('forbidden', 'Origin not allowed');
    if (!deps.pow) throw new ServerError('not_found', 'Bot protection (proof of work) is not enabled on this server');
    const challenge = await deps.pow.issue(rateKeyOf(c.get('clientAddress')), 'v2');
    return c.json(challenge, 200, { 'cache-control': 'no-store' });
  });

  // The hosted platform also takes interaction data here (its Sentinel service); self-hosted
  // bot protection is the proof of work alone.
  routes.post('/challenge', () => {
    throw new ServerError('not_found', 'POST /run/auth/challenge (interaction data) is not served here: the proof of work is the bot protection');
  });

  routes.post('/apps/:appId/anonymous-session', async (c) => {
    const appId = c.req.param('appId');
    const app = await deps.registry.get(appId);
    if (!app || !app.enabled) throw new ServerError('not_found', `App '${appId}' not found`);
    const web = webClientOf(app);
    if (!web) throw new ServerError('bad_request', 'Anonymous sessions are only available for web_client apps');
    if (!web.allowAnonymous) throw new ServerError('unauthorized', 'Anonymous sessions are not enabled for this app', { reason: 'anonymous_disabled' });
    if (!originAllowed(c.req.header('origin'), web.allowedDomains)) throw new ServerError('forbidden', 'Origin not allowed');
    if (deps.pow) await deps.pow.redeem(c.req.header('x-inkeep-challenge-solution'), rateKeyOf(c.get('clientAddress')));

    const { jwtSecret, sessionLifetimeSeconds } = deps;
    const previous = bearerToken(c.req.header('authorization'));
    const claims = previous ? await verifySessionToken(jwtSecret, previous, now) : undefined;
    // Rolling refresh keeps the identity only for tokens of this app in its current tenant and
    // project: an app id re-created elsewhere starts its visitors afresh.
    const sub = claims && tokenMatchesApp(claims, app) ? claims.sub : newAnonymousId();
    const issuedAt = new Date(now());
    const session = await issueSessionToken(jwtSecret, app, sub, sessionLifetimeSeconds, issuedAt);
    await deps.registry.markUsed(app.id, issuedAt);
    return c.json(session, 200, { 'cache-control': 'no-store' });
  });

  return routes;
}
