import { Hono } from 'hono';
import { MAX_PUBLIC_KEYS, readPublicKey } from '../../apps/app-public-keys.js';
import { ServerError } from '../../core/errors.js';
import type { AppStore, Scope } from '../../state/app-store.js';
import { webClientOf, type AppPublicKey, type AppRecord, type WebClientConfig } from '../../state/app-registry.js';
import { notFound, scopeOf } from './apps.js';
import { checkResourceIdParam, invalid, readJsonObject } from './validation.js';

type WebClientSettings = WebClientConfig['webClient'];

/**
 * `…/apps/{id}/auth-keys`: a web app's public keys one by one, as the hosted API offers them
 * beside the app update (which replaces the whole `webClient.publicKeys` list): list, add
 * `{kid, publicKey, algorithm}` (201; a kid the app already has → 409), delete by kid (204).
 * Public keys are not secrets, so the list shows them whole.
 */
export function appKeyRoutes(apps: Pick<AppStore, 'getInScope' | 'update'>, now: () => Date): Hono {
  const routes = new Hono();

  async function webApp(scope: Scope, id: string): Promise<{ app: AppRecord; web: WebClientSettings }> {
    const app = await apps.getInScope(scope, id);
    if (!app) throw notFound(id);
    const web = webClientOf(app);
    if (!web) throw new ServerError('bad_request', 'Public keys belong to web_client apps');
    return { app, web };
  }

  async function save(app: AppRecord, web: WebClientSettings, publicKeys: AppPublicKey[]): Promise<void> {
    const updated = await apps.update({ ...app, config: { type: 'web_client', webClient: { ...web, publicKeys } }, updatedAt: now().toISOString() });
    if (!updated) throw notFound(app.id); // deleted meanwhile
  }

  routes.get('/:id/auth-keys', async (c) => {
    const { web } = await webApp(scopeOf(c), checkResourceIdParam('id', c.req.param('id')));
    return c.json({ data: web.publicKeys });
  });

  routes.post('/:id/auth-keys', async (c) => {
    const { app, web } = await webApp(scopeOf(c), checkResourceIdParam('id', c.req.param('id')));
    const body = await readJsonObject(c);
    const { addedAt: _ignored, ...fields } = body; // the server stamps the time a key was added
    const key = readPublicKey(fields, 'body', (field, reason) => invalid(field.replace(/^body\./, ''), reason), now);
    const keys = web.publicKeys;
    if (keys.some((held) => held.kid === key.kid)) throw new ServerError('conflict', `App '${app.id}' already has a key with kid '${key.kid}'`);
    if (keys.length >= MAX_PUBLIC_KEYS) invalid('kid', `cannot be added: an app holds at most ${MAX_PUBLIC_KEYS} keys`);
    await save(app, web, [...keys, key]);
    return c.json({ data: key }, 201);
  });

  routes.delete('/:id/auth-keys/:kid', async (c) => {
    const { app, web } = await webApp(scopeOf(c), checkResourceIdParam('id', c.req.param('id')));
    const kid = c.req.param('kid');
    const keys = web.publicKeys;
    if (!keys.some((held) => held.kid === kid)) throw new ServerError('not_found', `App '${app.id}' has no key with kid '${kid}'`);
    await save(app, web, keys.filter((held) => held.kid !== kid));
    return c.body(null, 204);
  });

  return routes;
}
