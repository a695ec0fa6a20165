import { Hono } from 'hono';
import { z } from 'zod';
import { ServerError } from '../../core/errors.js';
import type { AppRecord } from '../../state/app-registry.js';
import type { AppStore, Scope } from '../../state/app-store.js';
import type { ServiceApiKeyRecord, ServiceApiKeyStore } from '../../state/service-api-key-store.js';
import { parsePagination } from './pagination.js';
import { invalid, optionalText, parseBody, requiredResourceId, requiredText } from '../../core/body-schema.js';
import { checkResourceIdParam, readJsonObject } from './validation.js';

function scopeOf(c: { req: { param(name: string): string | undefined } }): Scope {
  return { tenantId: c.req.param('tenantId') ?? '', projectId: c.req.param('projectId') ?? '' };
}

function notFound(id: string): ServerError {
  return new ServerError('not_found', `API key '${id}' not found`);
}

/** What a key looks like over the manage API: never the secret, never its hash. */
function keyView(record: ServiceApiKeyRecord) {
  const { id, tenantId, projectId, appId, agentId, name, prefix, createdAt, expiresAt, lastUsedAt } = record;
  return { id, tenantId, projectId, appId, agentId, name, prefix, createdAt, expiresAt, lastUsedAt };
}

/** `{name, appId?, agentId?, expiresAt?}`, shapes only; which app and agent is decided below. */
const CREATE = z.object({
  name: requiredText({ min: 1, max: 256 }),
  appId: requiredResourceId().optional(),
  agentId: optionalText({ min: 1, max: 255 }),
  expiresAt: optionalText({ max: 64 }),
});

type CreateBody = z.output<typeof CREATE>;

function expiryFrom(raw: string | null | undefined, now: Date): string | null {
  if (raw === undefined || raw === null) return null;
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) invalid('expiresAt', 'must be an ISO-8601 date-time');
  if (at.getTime() <= now.getTime()) invalid('expiresAt', 'must be in the future');
  return at.toISOString();
}

/**
 * The app a hosted-shape body `{name, agentId}` (no `appId`: hosted keys belong to an agent) is
 * for: the project's one app whose default agent is `agentId`, an `api` app when several are.
 * Anything else is a 400 that says what to send, never a guess between apps.
 */
async function appServing(apps: Pick<AppStore, 'list'>, scope: Scope, agentId: string | null | undefined): Promise<AppRecord> {
  if (agentId === undefined || agentId === null) invalid('appId', "is required (or 'agentId', naming the default agent of one of the project's apps)");
  const serving = (await apps.list(scope, { page: 1, limit: 10, defaultAgentId: agentId })).data;
  const api = serving.filter((app) => app.type === 'api');
  const chosen = serving.length === 1 ? serving[0] : api.length === 1 ? api[0] : undefined;
  if (chosen) return chosen;
  if (serving.length === 0) {
    invalid('agentId', `is the default agent of no app in project '${scope.projectId}': create an app for it, or name one with 'appId'`);
  }
  invalid('appId', `is required: several apps of project '${scope.projectId}' serve agent '${agentId}'`);
}

/**
 * `…/api-keys`: server-to-server API keys (seed 001: a secret, no domain restriction, no per-user
 * identity, one agent per key). Create answers the secret once, beside the record; list, get and
 * revoke (DELETE → 204) never show it again. The body is `{name, appId, agentId?, expiresAt?}`, or the
 * hosted `{name, agentId}`, whose app is the one serving that agent.
 */
export function apiKeyRoutes(
  keys: Pick<ServiceApiKeyStore, 'list' | 'create' | 'get' | 'revoke'>,
  apps: Pick<AppStore, 'getInScope' | 'list'>,
  now: () => Date,
): Hono {
  const routes = new Hono();

  routes.get('/', async (c) => {
    const paging = parsePagination({ page: c.req.query('page'), limit: c.req.query('limit') });
    const page = await keys.list(scopeOf(c), paging);
    return c.json({ data: page.data.map(keyView), pagination: page.pagination });
  });

  routes.post('/', async (c) => {
    const scope = scopeOf(c);
    const body: CreateBody = parseBody(CREATE, await readJsonObject(c));
    const app = body.appId === undefined ? await appServing(apps, scope, body.agentId) : await apps.getInScope(scope, body.appId);
    if (!app) invalid('appId', `names no app in project '${scope.projectId}'`);
    const agentId = body.agentId ?? app.defaultAgentId;
    if (!agentId) invalid('agentId', 'is required when the app has no default agent');
    const expiresAt = expiryFrom(body.expiresAt, now());
    const name = body.name;
    const { secret, record } = await keys.create({ ...scope, appId: app.id, agentId, name, expiresAt });
    return c.json({ data: { apiKey: keyView(record), key: secret } }, 201, { 'cache-control': 'no-store' });
  });

  routes.get('/:id', async (c) => {
    const id = checkResourceIdParam('id', c.req.param('id'));
    const record = await keys.get(scopeOf(c), id);
    if (!record) throw notFound(id);
    return c.json({ data: keyView(record) });
  });

  routes.delete('/:id', async (c) => {
    const id = checkResourceIdParam('id', c.req.param('id'));
    if (!(await keys.revoke(scopeOf(c), id))) throw notFound(id);
    return c.body(null, 204);
  });

  return routes;
}
