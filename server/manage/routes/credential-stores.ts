import { Hono } from 'hono';
import { z } from 'zod';
import { optionalObject, parseBody, requiredText } from '../../core/body-schema.js';
import { ServerError } from '../../core/errors.js';
import type { Scope } from '../../state/app-store.js';
import type { CredentialStoreRegistry, SecretMetadata } from '../credential-stores/credential-store.js';
import { checkResourceIdParam, readJsonObject } from './validation.js';

const MAX_KEY_LENGTH = 1024;
const MAX_METADATA_ENTRIES = 50;
const METADATA_VALUE = 'must be a string of at most 1024 characters';

/** `{key, value, metadata?}`: metadata is at most 50 string members of at most 1024 characters. */
const SECRET = z.object({
  key: requiredText({ min: 1, max: MAX_KEY_LENGTH }),
  value: requiredText({ min: 1 }),
  metadata: optionalObject()
    .superRefine((metadata, ctx) => {
      if (metadata && Object.keys(metadata).length > MAX_METADATA_ENTRIES) {
        ctx.addIssue({ code: 'custom', message: `must have at most ${MAX_METADATA_ENTRIES} entries` });
      }
    })
    .pipe(z.record(z.string({ message: METADATA_VALUE }).max(1024, METADATA_VALUE)).nullish())
    .transform((metadata): SecretMetadata | null => metadata ?? null),
});

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
    const { key, value, metadata } = parseBody(SECRET, body);
    const { available, reason } = await store.availability();
    if (!available) throw new ServerError('unprocessable_entity', `Credential store '${storeId}' is not available: ${reason}`);
    const scope: Scope = { tenantId: c.req.param('tenantId') ?? '', projectId: c.req.param('projectId') ?? '' };
    await store.set(scope, key, value, metadata);
    return c.json({ data: { key, storeId, createdAt: now().toISOString() } }, 201);
  });

  return routes;
}
