import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CredentialStoreRegistry } from '../../server/manage/credential-stores/credential-store.js';
import { DEFAULT_MEMORY_STORE_LIMITS, MemoryCredentialStore } from '../../server/manage/credential-stores/memory-credential-store.js';
import { OTHER_TENANT_KEY, expectProblem, startManageServer, tempDbPath, type ManageHarness } from '../server/manage/manage-fixture.js';

describe('memory credential store: per-tenant quotas (count and bytes)', () => {
  const store = new MemoryCredentialStore('memory-default', { maxSecretsPerTenant: 5, maxBytesPerTenant: 40_000 });
  let h: ManageHarness;
  let cleanup = (): void => {};
  let otherUrl = '';
  before(async () => {
    const db = tempDbPath();
    cleanup = db.cleanup;
    h = await startManageServer(db.dbPath, new CredentialStoreRegistry([store]));
    otherUrl = `${h.server.url}/manage/tenants/tenant_other/projects/project_other/credential-stores/memory-default/credentials`;
  });
  after(async () => {
    await h.server.close();
    cleanup();
  });

  const write = (key: string, value: string) => h.call('POST', '/credential-stores/memory-default/credentials', { key, value });
  const writeOther = (key: string, value: string) => h.call('POST', otherUrl, { key, value }, OTHER_TENANT_KEY);

  test('a tenant that reaches its secret count is refused; another tenant still writes', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await write(`k${i}`, 'v')).status, 201);
    const problem = expectProblem(await write('k5', 'v'), 422, 'unprocessable_entity');
    assert.match(problem.detail, /tenant_demo.*quota/);
    assert.equal((await write('k0', 'replaced')).status, 201, 'replacing an existing secret needs no new slot');
    assert.equal((await writeOther('k0', 'v')).status, 201);
    assert.equal(store.usageOf('tenant_demo').secrets, 5);
    for (let i = 0; i < 5; i++) assert.equal(await store.delete({ tenantId: 'tenant_demo', projectId: 'project_demo' }, `k${i}`), true);
    assert.deepEqual(store.usageOf('tenant_demo'), { secrets: 0, bytes: 0 });
  });

  test('a tenant that reaches its byte quota is refused; another tenant still writes', async () => {
    assert.equal((await write('big-1', 'x'.repeat(30_000))).status, 201);
    const problem = expectProblem(await write('big-2', 'x'.repeat(30_000)), 422, 'unprocessable_entity');
    assert.match(problem.detail, /quota/);
    assert.equal((await writeOther('big-1', 'x'.repeat(30_000))).status, 201);
    assert.ok(store.usageOf('tenant_demo').bytes <= 40_000);
  });

  test('defaults: one tenant can hold at most a tenth of the slots and a sixteenth of the bytes', () => {
    const limits = new MemoryCredentialStore('m').limits;
    assert.deepEqual(limits, DEFAULT_MEMORY_STORE_LIMITS);
    assert.ok(limits.maxSecretsPerTenant * 10 <= limits.maxSecrets);
    assert.ok(limits.maxBytesPerTenant * 16 <= limits.maxBytes);
  });
});
