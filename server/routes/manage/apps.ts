import { Hono } from 'hono';
import { ProblemError } from '../../domain/problem.js';
import { DuplicateIdError, UnavailableIdError, type AppStore, type Scope } from '../../store/app-store.js';
import { APP_TYPES } from '../../store/app-registry.js';
import { appFromCreate, applyAppChanges } from './app-input.js';
import { parsePagination } from './pagination.js';
import { checkResourceIdParam, optionalEnum, readJsonObject } from './validation.js';

/** The tenant and project of a manage path. */
export function scopeOf(c: { req: { param(name: string): string | undefined } }): Scope {
  return { tenantId: c.req.param('tenantId') ?? '', projectId: c.req.param('projectId') ?? '' };
}

export function notFound(id: string): ProblemError {
  return new ProblemError('not_found', `App '${id}' not found`);
}

/** `…/apps` routes: list, get, create, update (PUT and PATCH, both partial), delete. */
export function appRoutes(apps: Pick<AppStore, 'list' | 'getInScope' | 'create' | 'update' | 'delete'>, now: () => Date): Hono {
  const routes = new Hono();

  routes.get('/', async (c) => {
    const paging = parsePagination({ page: c.req.query('page'), limit: c.req.query('limit') });
    const type = optionalEnum({ type: c.req.query('type') }, 'type', APP_TYPES);
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
    try {
      await apps.create(app);
    } catch (err) {
      // Another tenant's id (live or deleted) gets one fixed detail that says nothing about its holder.
      if (err instanceof UnavailableIdError) throw new ProblemError('conflict', `App id '${app.id}' is not available; choose another id or omit it.`);
      if (err instanceof DuplicateIdError) throw new ProblemError('conflict', `App '${app.id}' already exists`);
      throw err;
    }
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
