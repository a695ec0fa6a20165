import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppRecord } from '../../../../server/state/app-registry.js';
import { DuplicateIdError, UnavailableIdError, type AppStore } from '../../../../server/state/app-store.js';
import type { CredentialReferenceStore } from '../../../../server/state/credential-references.js';
import { seedConfigApps } from '../../../../server/state/seed-apps.js';

/** Opens fresh, empty app and credential-reference stores on one engine. */
export type OpenAppStores = () => Promise<{ apps: AppStore; credentials: CredentialReferenceStore; close: () => Promise<void> }>;

function app(overrides: Partial<AppRecord> = {}): AppRecord {
  return {
    id: 'app_contract0000000000001',
    tenantId: 'tenant_a',
    projectId: 'project_a',
    name: 'Contract',
    description: null,
    type: 'web_client',
    defaultAgentId: 'agent_a',
    enabled: true,
    config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true, publicKeys: [] } },
    lastUsedAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

async function using(open: OpenAppStores, body: (s: Awaited<ReturnType<OpenAppStores>>) => Promise<void>): Promise<void> {
  const stores = await open();
  try {
    await body(stores);
  } finally {
    await stores.close();
  }
}

export function appStoreContract(open: OpenAppStores): void {
  describe('AppStore', () => {
    it('creates, reads (globally and in scope), lists, updates and deletes', () =>
      using(open, async ({ apps }) => {
        await apps.create(app());
        await apps.create(app({ id: 'app_contract0000000000002', type: 'api', config: { type: 'api', api: {} } }));
        assert.deepEqual(await apps.get(app().id), app());
        assert.equal(await apps.getInScope({ tenantId: 'tenant_b', projectId: 'project_a' }, app().id), undefined);
        const scope = { tenantId: 'tenant_a', projectId: 'project_a' };
        assert.equal((await apps.list(scope, { page: 1, limit: 10 })).pagination.total, 2);
        assert.equal((await apps.list(scope, { page: 1, limit: 10, type: 'api' })).data.length, 1);
        assert.equal((await apps.update(app({ name: 'Renamed', tenantId: 'tenant_b' }))), undefined, 'update never crosses tenants');
        assert.equal((await apps.update(app({ name: 'Renamed' })))?.name, 'Renamed');
        assert.equal(await apps.delete({ tenantId: 'tenant_b', projectId: 'project_a' }, app().id), false);
        assert.equal(await apps.delete(scope, app().id), true);
        assert.equal(await apps.get(app().id), undefined);
      }));

    it("keeps a deleted id for its tenant: 409 for the tenant's own ids, a fixed refusal for any other tenant", () =>
      using(open, async ({ apps }) => {
        await apps.create(app());
        await assert.rejects(apps.create(app()), (e: unknown) => e instanceof DuplicateIdError && !(e instanceof UnavailableIdError));
        const live = await apps.create(app({ tenantId: 'tenant_b' })).catch((e: unknown) => e);
        assert.ok(live instanceof UnavailableIdError);
        await apps.delete({ tenantId: 'tenant_a', projectId: 'project_a' }, app().id);
        await assert.rejects(apps.create(app()), (e: unknown) => e instanceof DuplicateIdError && !(e instanceof UnavailableIdError));
        const deleted = await apps.create(app({ tenantId: 'tenant_b' })).catch((e: unknown) => e);
        assert.ok(deleted instanceof UnavailableIdError);
        assert.equal((deleted as Error).message, (live as Error).message, 'live and deleted ids are refused alike');
        assert.equal(await apps.get(app().id), undefined);
      }));

    it('seeds config apps only when new, overwrites only within the tenant, never moves or revives one', () =>
      using(open, async ({ apps }) => {
        const lines: string[] = [];
        await apps.create(app({ name: 'Edited by manage' }));
        await apps.create(app({ id: 'app_contract0000000000009', tenantId: 'tenant_b' }));
        await apps.create(app({ id: 'app_contract0000000000008' }));
        await apps.delete({ tenantId: 'tenant_a', projectId: 'project_a' }, 'app_contract0000000000008');
        const config = [
          app({ name: 'From config' }),
          app({ id: 'app_contract0000000000003', name: 'New' }),
          app({ id: 'app_contract0000000000009', name: 'Hijack' }),
          app({ id: 'app_contract0000000000008', name: 'Revived' }),
        ];
        await seedConfigApps(apps, config, 'seed', (line) => lines.push(line));
        assert.equal((await apps.get(app().id))?.name, 'Edited by manage');
        assert.equal((await apps.get('app_contract0000000000003'))?.name, 'New');
        assert.equal((await apps.get('app_contract0000000000009'))?.tenantId, 'tenant_b');
        assert.equal(await apps.get('app_contract0000000000008'), undefined);
        await seedConfigApps(apps, config, 'overwrite', (line) => lines.push(line));
        assert.equal((await apps.get(app().id))?.name, 'From config');
        const held = await apps.get('app_contract0000000000009');
        assert.equal(held?.tenantId, 'tenant_b');
        assert.notEqual(held?.name, 'Hijack');
        assert.equal(await apps.get('app_contract0000000000008'), undefined);
        assert.ok(lines.some((line) => line.includes('app_contract0000000000009')));
        assert.ok(lines.every((line) => !line.includes('tenant_b')), 'the holder is never named');
      }));
  });

  describe('CredentialReferenceStore', () => {
    const ref = {
      tenantId: 'tenant_a',
      projectId: 'project_a',
      id: 'cred_1',
      name: 'One',
      type: 'memory' as const,
      credentialStoreId: 'memory-default',
      retrievalParams: { key: 'k' },
      toolId: null,
      userId: null,
      createdBy: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const scope = { tenantId: 'tenant_a', projectId: 'project_a' };

    it('creates, renames, lists and deletes inside its scope', () =>
      using(open, async ({ credentials }) => {
        await credentials.create(ref);
        await assert.rejects(credentials.create(ref), DuplicateIdError);
        await credentials.create({ ...ref, tenantId: 'tenant_b' });
        await credentials.create({ ...ref, id: 'cred_2' });
        await assert.rejects(credentials.update('cred_1', { ...ref, id: 'cred_2' }), DuplicateIdError);
        assert.equal((await credentials.update('cred_1', { ...ref, id: 'cred_3', name: 'Three' }))?.name, 'Three');
        assert.deepEqual((await credentials.list(scope, { page: 1, limit: 10 })).data.map((r) => r.id), ['cred_2', 'cred_3']);
        assert.deepEqual((await credentials.delete(scope, 'cred_3'))?.retrievalParams, { key: 'k' });
        assert.equal(await credentials.delete(scope, 'cred_3'), undefined);
        assert.equal((await credentials.get({ tenantId: 'tenant_b', projectId: 'project_a' }, 'cred_1'))?.id, 'cred_1');
      }));
  });
}
