import { Hono } from 'hono';
import { ServerError } from '../../core/errors.js';
import type { Scope } from '../../state/app-store.js';
import type { CredentialStoreRegistry, SecretMetadata } from '../credential-stores/credential-store.js';
import { checkResourceIdParam, invalid, optionalObject, readJsonObject, requiredString } from './validation.js';

const MAX_KEY_LENGTH = 1024;
const MAX_METADATA_ENTRIES = 50;

function readMetadata(body: Record<string, unknown>): SecretMetadata | null {
  const metadata = optionalObject(body, 'metadata');
  if (!metadata) return null;
  const entries = Object.entries(metadata);
  if (entries.length > MAX_METADATA_ENTRIES) invalid('metadata', `must have at most ${MAX_METADATA_ENTRIES} entries`);
  for (const [name, value] of entries) {
    if (typeof value !== 'string' || value.length > 1024) invalid(`metadata.${name}`, 'must be a string of at most 1024 characters');
  }
  return metadata as SecretMetadata;
}

/**
 * `…/credential-stores` routes (seed 003): list stores with honest availability,
 * and write a secret into one. Secrets are write-only: nothing here returns them.
 */
export function credentialStoreRoutes(stores: CredentialStoreRegistry, now: () => Date): Hono {
  const routes = new Hono();

  routes.get('/', async (c) => {
    const data = await Promise.all(
      stores.all().map(async (store) => {
        const { available, reason } = await store.availability();
        return { id: store.id, type: store.type, available, reason };
      }),
    );
    return c.json({ data });
  });

  routes.post('/:id/credentials', async (c) => {
    const storeId = checkResourceIdParam('id', c.req.param('id'));
    const store = stores.get(storeId);
    if (!store) throw new ServerError('not_found', `Credential store '${storeId}' not found`);
    const body = await readJsonObject(c);
    const key = requiredString(body, 'key', { min: 1, max: MAX_KEY_LENGTH });
    const value = requiredString(body, 'value', { min: 1 });
    const metadata = readMetadata(body);
    const { available, reason } = await store.availability();
    if (!available) throw new ServerError('unprocessable_entity', `Credential store '${storeId}' is not available: ${reason}`);
    const scope: Scope = { tenantId: c.req.param('tenantId') ?? '', projectId: c.req.param('projectId') ?? '' };
    await store.set(scope, key, value, metadata);
    return c.json({ data: { key, storeId, createdAt: now().toISOString() } }, 201);
  });

  return routes;
}
