import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../http/env.js';
import type { AdminAuthResult } from '../../manage/admin-auth.js';
import { pairingAppUnsetDetail, type PairingAppSetting } from '../pairing-app.js';
import { rateKeyOf } from '../../core/client-address.js';
import { pairingProblem } from '../../core/pairing-errors.js';
import type { PairingAppLookup, PairingService } from '../pairing-service.js';
import { parseApiKeyRequest, parseChallengeRequest } from '../pairing-validation.js';
import { checkPairingVersion, PAIRING_API_VERSION, PAIRING_VERSION_HEADER } from '../pairing-version.js';
import { bearerToken } from '../../auth/tokens.js';
import type { ApiKeyStore } from '../../state/api-keys.js';
import { cors, PAIRING_CORS } from '../../http/cors.js';

/** What the pairing routes need. */
export interface PairingRouteDeps {
  /** The pairing flow; the routes look a key up by id (`keys.get`) to find its app for revocation. */
  pairing: Pick<PairingService, 'createChallenge' | 'exchange' | 'verifyApiKey' | 'revokeApiKey'> & { keys: Pick<ApiKeyStore, 'get'> };
  registry: PairingAppLookup;
  /**
   * The app a challenge is for when the client names none (seed-004 clients send only
   * `app_name`). Omitted → none: such challenges get a 400 naming the settings.
   */
  pairingApp?: PairingAppSetting;
  /**
   * Checks an admin key for the tenant owning a key's app (e.g. `checkAdminKey` bound to the
   * configured keys). Omitted → keys can only be revoked by their holder.
   */
  adminAuth?: (presented: string, tenantId: string) => AdminAuthResult;
  /**
   * The client address that challenge creation is rate limited by. Default: the app's
   * `clientAddress` (the socket peer, or `X-Forwarded-For` from a trusted proxy), IPv6 per /64.
   */
  clientAddress?: (c: Context<AppEnv>) => string;
}

const MAX_BODY_BYTES = 4096;

function socketAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // no Node socket (e.g. app.request() in tests)
  }
}

async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw pairingProblem('invalid_body', `The request body must be at most ${MAX_BODY_BYTES} bytes.`);
  const text = await c.req.text();
  if (text.length > MAX_BODY_BYTES) throw pairingProblem('invalid_body', `The request body must be at most ${MAX_BODY_BYTES} bytes.`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw pairingProblem('invalid_body', 'The request body must be JSON.');
  }
}

function appIdOf(c: Context<AppEnv>, fromBody: string | undefined): string | undefined {
  const fromHeader = c.req.header('x-inkeep-app-id')?.trim() || undefined;
  if (fromHeader && fromBody && fromHeader !== fromBody) {
    throw pairingProblem('app_mismatch', 'x-inkeep-app-id and app_id name different apps.');
  }
  return fromHeader ?? fromBody;
}

/**
 * The code-pairing API of seed 004, mounted at `/v1/auth`:
 * - `POST /challenges` `{app_name, app_id?}` (+ `x-inkeep-app-id`) → 201 `{challenge_id}`;
 *   without an app id the challenge is for the server's pairing app. The code goes to the
 *   console and `onPairingCode`, never over HTTP.
 * - `POST /api_keys` `{challenge_id, code}` → 201 `{api_key, key_id, app_id, expires_at}`.
 * - `DELETE /api_keys/:id` with `Authorization: Bearer <that key>` or an admin key of the
 *   app's tenant → 204.
 * `Anytype-Version` defaults to 2025-11-08 (an unknown version is a 400); errors are problem+json 4xx
 * (and 503 when full) with the pairing `reason`, rendered by the app's error handler.
 */
export function pairingRoutes(deps: PairingRouteDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const clientAddress = deps.clientAddress ?? ((c: Context<AppEnv>) => rateKeyOf(c.get('clientAddress') ?? socketAddress(c)));

  routes.use('*', cors(PAIRING_CORS));
  // Every answer names the version, failures included: the app's error handler renders them
  // (pairing failures are `pairingProblem`s) before this middleware's `next()` returns.
  routes.use('*', async (c, next) => {
    await next();
    c.res.headers.set(PAIRING_VERSION_HEADER, PAIRING_API_VERSION);
  });
  routes.use('*', async (c, next) => {
    const versionError = checkPairingVersion(c.req.header(PAIRING_VERSION_HEADER));
    if (versionError) throw versionError;
    await next();
  });

  routes.post('/challenges', async (c) => {
    const request = parseChallengeRequest(await readJson(c));
    const appId = appIdOf(c, request.appId) ?? deps.pairingApp?.appId;
    if (!appId) throw pairingProblem('pairing_app_unset', pairingAppUnsetDetail());
    const { challengeId } = await deps.pairing.createChallenge({
      appId,
      appName: request.appName,
      clientAddress: clientAddress(c),
      origin: c.req.header('origin'),
    });
    return c.json({ challenge_id: challengeId }, 201, { 'cache-control': 'no-store' });
  });

  routes.post('/api_keys', async (c) => {
    const request = parseApiKeyRequest(await readJson(c));
    const { apiKey, record } = await deps.pairing.exchange({
      challengeId: request.challengeId,
      code: request.code,
      appId: appIdOf(c, request.appId),
      clientAddress: clientAddress(c),
      origin: c.req.header('origin'),
    });
    return c.json({ api_key: apiKey, key_id: record.id, app_id: record.appId, expires_at: record.expiresAt }, 201, { 'cache-control': 'no-store' });
  });

  routes.delete('/api_keys/:id', async (c) => {
    const presented = bearerToken(c.req.header('authorization'));
    if (!presented) throw pairingProblem('api_key_missing', 'Send the key itself or an admin key as Authorization: Bearer.');
    const id = c.req.param('id');
    const own = await deps.pairing.verifyApiKey(presented);
    if (own?.id === id) {
      await deps.pairing.revokeApiKey(id);
      return c.body(null, 204);
    }
    const target = await deps.pairing.keys.get(id);
    const app = target ? await deps.registry.get(target.appId) : undefined;
    const admin = deps.adminAuth?.(presented, app?.tenantId ?? '') ?? 'unknown_key';
    if (admin === 'unknown_key' && !own) throw pairingProblem('api_key_invalid', 'The presented key is not valid.');
    if (!target && admin !== 'unknown_key') throw pairingProblem('api_key_not_found', `No API key ${id}.`);
    if (admin !== 'ok') throw pairingProblem('not_allowed', 'This key may not revoke that key.');
    await deps.pairing.revokeApiKey(id);
    return c.body(null, 204);
  });

  return routes;
}
