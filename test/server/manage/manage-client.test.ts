import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createManageClient, InkAuthError, paginate, type ManageClient } from '../../../src/manage/index.js';
import { ADMIN_KEY, OTHER_TENANT_KEY, PROJECT, TENANT, startManageServer, tempDbPath, type ManageHarness } from './manage-fixture.js';

const SECRET = 'client-secret-value-91ab27';

async function rejectsWith(promise: Promise<unknown>, code: string, status: number): Promise<InkAuthError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof InkAuthError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    assert.match(error.requestId ?? '', /^req_/);
    return error;
  }
  assert.fail(`expected ${code}`);
}

describe('typed manage client against the real server', () => {
  let h: ManageHarness;
  let cleanup: () => void;
  let client: ManageClient;
  before(async () => {
    const db = tempDbPath();
    cleanup = db.cleanup;
    h = await startManageServer(db.dbPath);
    client = createManageClient({ baseUrl: h.server.url, apiKey: ADMIN_KEY, tenantId: TENANT, projectId: PROJECT });
  });
  after(async () => {
    await h.server.close();
    cleanup();
  });

  test('apps: create, get, update, patch, list, iterate, delete', async () => {
    const app = await client.createApp({
      name: 'Client app',
      type: 'web_client',
      config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true } },
    });
    assert.match(app.id, /^app_[a-z0-9]{21}$/);
    assert.deepEqual(await client.getApp(app.id), app);
    assert.equal((await client.updateApp(app.id, { name: 'Renamed' })).name, 'Renamed');
    assert.equal((await client.patchApp(app.id, { enabled: false })).enabled, false);
    const page = await client.listApps({ limit: 1, type: 'web_client' });
    assert.equal(page.data.length, 1);
    assert.ok(page.pagination.total >= 2);
    const ids: string[] = [];
    for await (const each of client.iterateApps({ limit: 1 })) ids.push(each.id);
    assert.ok(ids.includes(app.id) && ids.includes('app_inkauthdemo0000000000'));
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(await client.deleteApp(app.id), undefined);
    await rejectsWith(client.getApp(app.id), 'not_found', 404);
  });

  test('credentials: create, get, update, list across pages, delete', async () => {
    for (let i = 0; i < 7; i++) {
      await client.createCredential({ id: `cc-${i}`, name: `C ${i}`, type: 'memory', credentialStoreId: 'memory-default' });
    }
    const got = await client.getCredential('cc-3');
    assert.equal(got.name, 'C 3');
    assert.deepEqual(got.tools, []);
    const updated = await client.updateCredential('cc-3', { name: 'Three', userId: 'u1' });
    assert.equal(updated.name, 'Three');
    assert.equal(updated.userId, 'u1');
    const all: string[] = [];
    for await (const c of client.iterateCredentials({ limit: 3 })) all.push(c.id);
    assert.deepEqual(all, ['cc-0', 'cc-1', 'cc-2', 'cc-3', 'cc-4', 'cc-5', 'cc-6']);
    const last = await client.listCredentials({ page: 3, limit: 3 });
    assert.deepEqual(last.pagination, { page: 3, limit: 3, total: 7, pages: 3 });
    assert.equal(last.data.length, 1);
    await client.deleteCredential('cc-6');
    await rejectsWith(client.getCredential('cc-6'), 'not_found', 404);
    await rejectsWith(client.createCredential({ id: 'cc-0', name: 'dup', type: 'memory', credentialStoreId: 'memory-default' }), 'conflict', 409);
  });

  test('credential stores: list and store a secret; the value never comes back', async () => {
    const stores = await client.listCredentialStores();
    assert.deepEqual(stores.map((s) => [s.id, s.available]), [['memory-default', true], ['keychain-default', false], ['nango-default', false]]);
    const stored = await client.storeSecret('memory-default', { key: 'client-key', value: SECRET });
    assert.deepEqual(Object.keys(stored).sort(), ['createdAt', 'key', 'storeId']);
    const unavailable = await rejectsWith(client.storeSecret('keychain-default', { key: 'k', value: SECRET }), 'unprocessable_entity', 422);
    assert.match(unavailable.detail, /Keyring not available/);
    await rejectsWith(client.storeSecret('nope', { key: 'k', value: SECRET }), 'not_found', 404);
    for (const body of h.bodies) assert.ok(!body.includes(SECRET));
  });

  test('validation failures surface as InkAuthError with the field in the detail', async () => {
    const error = await rejectsWith(client.listCredentials({ limit: 101 }), 'bad_request', 400);
    assert.match(error.detail, /'limit'/);
    const bad = await rejectsWith(
      client.createCredential({ id: 'bad id', name: 'x', type: 'memory', credentialStoreId: 'memory-default' }),
      'bad_request',
      400,
    );
    assert.match(bad.detail, /'id'/);
  });

  test('auth failures: unknown key → unauthorized, other tenant key → forbidden', async () => {
    const stranger = createManageClient({ baseUrl: h.server.url, apiKey: 'wrong-key-wrong-key-wrong', tenantId: TENANT, projectId: PROJECT });
    await rejectsWith(stranger.listApps(), 'unauthorized', 401);
    const other = createManageClient({ baseUrl: h.server.url, apiKey: OTHER_TENANT_KEY, tenantId: TENANT, projectId: PROJECT });
    await rejectsWith(other.listApps(), 'forbidden', 403);
  });

  test('network failure → network_error; bad base URL → invalid_base_url at creation', async () => {
    const down = createManageClient({ baseUrl: 'http://127.0.0.1:1', apiKey: ADMIN_KEY, tenantId: TENANT, projectId: PROJECT });
    await assert.rejects(down.listApps(), (e: unknown) => e instanceof InkAuthError && e.code === 'network_error' && e.retryable);
    assert.throws(
      () => createManageClient({ baseUrl: 'not a url', apiKey: ADMIN_KEY, tenantId: TENANT, projectId: PROJECT }),
      (e: unknown) => e instanceof InkAuthError && e.code === 'invalid_base_url',
    );
  });

  test('an injected fetch is used, and a non-JSON 200 is invalid_response', async () => {
    const calls: string[] = [];
    const fake = createManageClient({
      baseUrl: 'https://manage.example/prefix/',
      apiKey: ADMIN_KEY,
      tenantId: 't 1',
      projectId: 'p',
      fetch: async (input) => {
        calls.push(String(input));
        return new Response('<html>', { status: 200, headers: { 'content-type': 'text/html' } });
      },
    });
    await assert.rejects(fake.getApp('a/b'), (e: unknown) => e instanceof InkAuthError && e.code === 'invalid_response');
    assert.deepEqual(calls, ['https://manage.example/prefix/manage/tenants/t%201/projects/p/apps/a%2Fb']);
  });
});

describe('paginate', () => {
  test('stops at the last page and on an empty page', async () => {
    const seen: number[] = [];
    const items: number[] = [];
    for await (const n of paginate(async (page) => {
      seen.push(page);
      return { data: page <= 2 ? [page * 10, page * 10 + 1] : [], pagination: { page, limit: 2, total: 4, pages: 2 } };
    })) items.push(n);
    assert.deepEqual(items, [10, 11, 20, 21]);
    assert.deepEqual(seen, [1, 2]);
    const empty: number[] = [];
    for await (const n of paginate(async (page) => ({ data: [] as number[], pagination: { page, limit: 10, total: 0, pages: 0 } }))) empty.push(n);
    assert.deepEqual(empty, []);
  });
});
