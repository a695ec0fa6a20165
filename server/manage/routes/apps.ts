import { Hono } from 'hono';
import { ServerError } from '../../core/errors.js';
import type { AppStore, Scope } from '../../state/app-store.js';
import { APP_TYPES } from '../../state/app-registry.js';
import { appFromCreate, applyAppChanges } from './app-input.js';
import { parsePagination } from './pagination.js';
import { optionalEnum, parseField } from '../../core/body-schema.js';
import { checkResourceIdParam, readJsonObject } from './validation.js';

/** The tenant and project of a manage path. */
export function scopeOf(c: { req: { param(name: string): string | undefined } }): Scope {
  return { tenantId: c.req.param('tenantId') ?? '', projectId: c.req.param('projectId') ?? '' };
}

export function notFound(id: string): ServerError {
  return new ServerError('not_found', `App '${id}' not found`);
}

/** The list's `?type=` filter. */
const TYPE_QUERY = optionalEnum(APP_TYPES);

/** `…/apps` routes: list, get, create, update (PUT and PATCH, both partial), delete. */
export function appRoutes(apps: Pick<AppStore, 'list' | 'getInScope' | 'create' | 'update' | 'delete'>, now: () => Date): Hono {
  const routes = new Hono();

  routes.get('/', async (c) => {
    const paging = parsePagination({ page: c.req.query('page'), limit: c.req.query('limit') });
    const type = parseField('type', TYPE_QUERY, c.req.query('type'));
    return c.json(await apps.list(scopeOf(c), { ...paging, ...(type ? { type } : {}) }));
  });

  routes.get('/:id', async (c) => {
    const id = checkResourceIdParam('id', c.req.param('id'));
    const app = await apps.getInScope(scopeOf(c), id);
    if (!app) throw notFound(id);
    return c.json({ data: app });
  });

  routes.post('/', async (c) => {
    const app = appFromCreate(await readJsonObject(c), scopeOf(c), now().toISOString());
    // A taken id is the store's `DuplicateIdError`; another tenant's (live or deleted) its
    // `UnavailableIdError`, whose fixed detail says nothing about the holder.
    await apps.create(app);
    // The hosted API answers a create with the app under `data.app` (get and update: `data`).
    return c.json({ data: { app } }, 201);
  });

  routes.on(['PUT', 'PATCH'], '/:id', async (c) => {
    const id = checkResourceIdParam('id', c.req.param('id'));
    const body = await readJsonObject(c);
    const current = await apps.getInScope(scopeOf(c), id);
    if (!current) throw notFound(id);
    const updated = await apps.update(applyAppChanges(current, body, now().toISOString()));
    if (!updated) throw notFound(id); // deleted between read and write
    return c.json({ data: updated });
  });

  routes.delete('/:id', async (c) => {
    const id = checkResourceIdParam('id', c.req.param('id'));
    if (!(await apps.delete(scopeOf(c), id))) throw notFound(id);
    return c.body(null, 204);
  });

  return routes;
}
