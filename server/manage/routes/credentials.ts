import { Hono } from 'hono';
import { ServerError } from '../../core/errors.js';
import type { Scope } from '../../state/app-store.js';
import { secretKeyOf, type CredentialReference, type CredentialReferenceStore } from '../../state/credential-references.js';
import type { CredentialStoreRegistry } from '../credential-stores/credential-store.js';
import { applyCredentialChanges, credentialFromCreate, credentialView } from './credential-input.js';
import { parsePagination } from './pagination.js';
import { checkResourceIdParam, invalid, readJsonObject } from './validation.js';

/** The credential stores as these routes use them: one store by id. */
type StoreLookup = Pick<CredentialStoreRegistry, 'get'>;

function scopeOf(c: { req: { param(name: string): string | undefined } }): Scope {
  return { tenantId: c.req.param('tenantId') ?? '', projectId: c.req.param('projectId') ?? '' };
}

function notFound(id: string): ServerError {
  return new ServerError('not_found', `Credential '${id}' not found`);
}

/**
 * Refuses a reference whose `retrievalParams.key` its store could never hold (for a nango store:
 * not a valid connection key, or one naming another scope's connection). An absent key is
 * allowed, as in the seed: the reference then names its secret by its id.
 */
function checkSecretKey(ref: CredentialReference, stores: StoreLookup): CredentialReference {
  const key = ref.retrievalParams?.key;
  const store = stores.get(ref.credentialStoreId);
  if (store && key !== undefined) {
    const problem = typeof key === 'string' ? store.keyProblem(key) : 'must be a string';
    if (problem) invalid('retrievalParams.key', problem);
  }
  return ref;
}

/** `…/credentials` routes (credential references), as seed 002 describes. */
export function credentialRoutes(credentials: CredentialReferenceStore, stores: StoreLookup, now: () => Date): Hono {
  const routes = new Hono();

  routes.get('/', async (c) => {
    const paging = parsePagination({ page: c.req.query('page'), limit: c.req.query('limit') });
    const page = await credentials.list(scopeOf(c), paging);
    return c.json({ data: page.data.map(credentialView), pagination: page.pagination });
  });

  routes.post('/', async (c) => {
    const ref = checkSecretKey(credentialFromCreate(await readJsonObject(c), scopeOf(c), now().toISOString()), stores);
    await credentials.create(ref);
    return c.json({ data: credentialView(ref) }, 201);
  });

  routes.get('/:id', async (c) => {
    const id = checkResourceIdParam('id', c.req.param('id'));
    const ref = await credentials.get(scopeOf(c), id);
    if (!ref) throw notFound(id);
    return c.json({ data: credentialView(ref) });
  });

  routes.put('/:id', async (c) => {
    const id = checkResourceIdParam('id', c.req.param('id'));
    const body = await readJsonObject(c);
    const current = await credentials.get(scopeOf(c), id);
    if (!current) throw notFound(id);
    const next = checkSecretKey(applyCredentialChanges(current, body, now().toISOString()), stores);
    const saved = await credentials.update(id, next);
    if (!saved) throw notFound(id);
    return c.json({ data: credentialView(saved) });
  });

  routes.delete('/:id', async (c) => {
    const scope = scopeOf(c);
    const id = checkResourceIdParam('id', c.req.param('id'));
    const ref = await credentials.get(scope, id);
    if (!ref) throw notFound(id);
    // Secret first: if its store fails, the reference stays so the delete can be retried. A key
    // the store could never hold (e.g. a nango reference without a connection key) names no
    // secret, so there is nothing to remove and the reference simply goes.
    const store = stores.get(ref.credentialStoreId);
    const key = secretKeyOf(ref);
    if (store && store.keyProblem(key) === null && (await store.availability()).available) {
      await store.delete(scope, key);
    }
    if (!(await credentials.delete(scope, id))) throw notFound(id);
    return c.body(null, 204);
  });

  return routes;
}
