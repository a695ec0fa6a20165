import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MemoryCredentialStore } from '../../../server/manage/credential-stores/memory-credential-store.js';
import { expectProblem, startManageServer, tempDbPath, type ManageHarness, type Reply, manageServerPerSuite } from './manage-fixture.js';

function credentialBody(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, name: `Credential ${id}`, type: 'memory', credentialStoreId: 'memory-default', ...overrides };
}

describe('manage API: credentials', () => {
  const h = manageServerPerSuite();

  test('empty list: default page 1, limit 10, total 0, pages 0', async () => {
    const list = await h.call('GET', '/credentials');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, { data: [], pagination: { page: 1, limit: 10, total: 0, pages: 0 } });
  });

  test('create → 201 in the seed shape; get returns the same', async () => {
    const body = credentialBody('github.token-1', {
      retrievalParams: { key: 'gh' },
      toolId: 'tool_1',
      userId: 'user_1',
      createdBy: 'admin@example.com',
    });
    const created = await h.call('POST', '/credentials', body);
    assert.equal(created.status, 201);
    const data = created.body.data;
    assert.deepEqual(Object.keys(data).sort(), [
      'createdAt', 'createdBy', 'credentialStoreId', 'externalAgents', 'id', 'name', 'retrievalParams', 'toolId', 'tools', 'type', 'updatedAt', 'userId',
    ]);
    assert.equal(data.id, 'github.token-1');
    assert.deepEqual(data.retrievalParams, { key: 'gh' });
    assert.deepEqual(data.tools, []);
    assert.deepEqual(data.externalAgents, []);
    assert.ok(!Number.isNaN(Date.parse(data.createdAt)));
    const got = await h.call('GET', '/credentials/github.token-1');
    assert.equal(got.status, 200);
    assert.deepEqual(got.body.data, data);
  });

  test('duplicate id → 409 conflict', async () => {
    assert.equal((await h.call('POST', '/credentials', credentialBody('dup'))).status, 201);
    expectProblem(await h.call('POST', '/credentials', credentialBody('dup')), 409, 'conflict');
  });

  test('PUT updates given fields only; {} keeps everything but updatedAt', async () => {
    const created = (await h.call('POST', '/credentials', credentialBody('upd', { toolId: 't' }))).body.data;
    const renamed = await h.call('PUT', '/credentials/upd', { name: 'Renamed', type: 'nango', credentialStoreId: 'nango-default', toolId: null });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.data.name, 'Renamed');
    assert.equal(renamed.body.data.type, 'nango');
    assert.equal(renamed.body.data.toolId, null);
    assert.equal(renamed.body.data.createdAt, created.createdAt);
    const unchanged = await h.call('PUT', '/credentials/upd', {});
    assert.equal(unchanged.status, 200);
    assert.equal(unchanged.body.data.name, 'Renamed');
  });

  test('PUT can change the id; to a taken id → 409; unknown → 404', async () => {
    await h.call('POST', '/credentials', credentialBody('move-a'));
    await h.call('POST', '/credentials', credentialBody('move-b'));
    expectProblem(await h.call('PUT', '/credentials/move-a', { id: 'move-b' }), 409, 'conflict');
    const moved = await h.call('PUT', '/credentials/move-a', { id: 'move-c' });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.data.id, 'move-c');
    expectProblem(await h.call('GET', '/credentials/move-a'), 404, 'not_found');
    expectProblem(await h.call('PUT', '/credentials/missing', { name: 'x' }), 404, 'not_found');
  });

  test('delete → 204 and removes the secret from its store', async () => {
    const secret = 'delete-me-secret-value-5f1c';
    assert.equal((await h.call('POST', '/credential-stores/memory-default/credentials', { key: 'k-del', value: secret })).status, 201);
    await h.call('POST', '/credentials', credentialBody('to-delete', { retrievalParams: { key: 'k-del' } }));
    const scope = { tenantId: 'tenant_demo', projectId: 'project_demo' };
    const memory = memoryStoreOf(h);
    assert.equal(await memory.has(scope, 'k-del'), true);
    const del = await h.call('DELETE', '/credentials/to-delete');
    assert.equal(del.status, 204);
    assert.equal(del.text, '');
    assert.equal(del.headers.get('content-type'), null, 'no content, so no content type');
    assert.equal(await memory.has(scope, 'k-del'), false);
    expectProblem(await h.call('GET', '/credentials/to-delete'), 404, 'not_found');
    expectSeedDeleteError(await h.call('DELETE', '/credentials/to-delete'), 404, 'not_found');
  });

  // Seed 002 gives credential DELETE's error body as {details, error, message}: one body carries
  // those keys beside the problem+json members, whatever refused the call.
  test('DELETE errors carry the seed keys {details, error, message} beside the problem+json members', async () => {
    const unknown = expectSeedDeleteError(await h.call('DELETE', '/credentials/never-made'), 404, 'not_found');
    assert.equal(unknown.message, "Credential 'never-made' not found");
    expectSeedDeleteError(await h.call('DELETE', '/credentials/bad id!'), 400, 'bad_request');
    const anonymous = await fetch(`${h.server.url}/manage/tenants/tenant_demo/projects/project_demo/credentials/x`, { method: 'DELETE' });
    expectSeedDeleteError({ status: anonymous.status, headers: anonymous.headers, text: '', body: await anonymous.json() }, 401, 'unauthorized');
    // Other routes keep the nested error object.
    expectProblem(await h.call('GET', '/credentials/never-made'), 404, 'not_found');
  });

  test('credentials are scoped to tenant and project', async () => {
    await h.call('POST', '/credentials', credentialBody('scoped'));
    const other = `${h.server.url}/manage/tenants/tenant_demo/projects/project_else/credentials`;
    expectProblem(await h.call('GET', `${other}/scoped`), 404, 'not_found');
    assert.equal((await h.call('POST', other, credentialBody('scoped'))).status, 201, 'same id in another project is fine');
  });

  const longText = 'x'.repeat(257);
  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['missing id', credentialBody('x', { id: undefined }), "'id' is required"],
    ['empty id', credentialBody(''), "'id' must not be empty"],
    ['id with a slash', credentialBody('a/b'), "'id' must match"],
    ['id with a space', credentialBody('a b'), "'id' must match"],
    ['id "." (a URL cannot address it)', credentialBody('.'), `'id' must not be "." (a URL path cannot address it)`],
    ['id ".." (a URL cannot address it)', credentialBody('..'), `'id' must not be ".." (a URL path cannot address it)`],
    ['credentialStoreId ".."', credentialBody('x', { credentialStoreId: '..' }), `'credentialStoreId' must not be ".."`],
    ['id of 256 chars', credentialBody('i'.repeat(256)), "'id' must be at most 255 characters"],
    ['missing name', credentialBody('x', { name: undefined }), "'name' is required"],
    ['name of 257 chars', credentialBody('x', { name: longText }), "'name' must be at most 256 characters"],
    ['missing type', credentialBody('x', { type: undefined }), "'type' is required"],
    ['unknown type', credentialBody('x', { type: 'vault' }), `'type' must be one of "memory" | "keychain" | "nango"`],
    ['missing credentialStoreId', credentialBody('x', { credentialStoreId: undefined }), "'credentialStoreId' is required"],
    ['bad credentialStoreId', credentialBody('x', { credentialStoreId: 'a:b' }), "'credentialStoreId' must match"],
    ['credentialStoreId of 256 chars', credentialBody('x', { credentialStoreId: 's'.repeat(256) }), "'credentialStoreId' must be at most 255"],
    ['createdBy of 257 chars', credentialBody('x', { createdBy: longText }), "'createdBy' must be at most 256"],
    ['toolId of 257 chars', credentialBody('x', { toolId: longText }), "'toolId' must be at most 256"],
    ['userId of 257 chars', credentialBody('x', { userId: longText }), "'userId' must be at most 256"],
    ['numeric name', credentialBody('x', { name: 5 }), "'name' must be a string"],
    ['retrievalParams array', credentialBody('x', { retrievalParams: [1] }), "'retrievalParams' must be an object"],
    ['createdAt number', credentialBody('x', { createdAt: 1 }), "'createdAt' must be a string"],
  ];
  for (const [name, body, detail] of invalid) {
    test(`create rejects ${name} → 400 naming the field`, async () => {
      const problem = expectProblem(await h.call('POST', '/credentials', body), 400, 'bad_request');
      assert.ok(problem.detail.includes(detail), problem.detail);
    });
  }

  test('boundary values are accepted: id of 255, name/toolId/userId/createdBy of 256', async () => {
    const id = 'a'.repeat(255);
    const body = credentialBody(id, { name: 'n'.repeat(256), toolId: 't'.repeat(256), userId: 'u'.repeat(256), createdBy: 'c'.repeat(256) });
    assert.equal((await h.call('POST', '/credentials', body)).status, 201);
    assert.equal((await h.call('DELETE', `/credentials/${id}`)).status, 204);
  });

  test('ids made only of dots other than "." and ".." are ordinary and addressable', async () => {
    assert.equal((await h.call('POST', '/credentials', credentialBody('...'))).status, 201);
    assert.equal((await h.call('GET', '/credentials/...')).body.data.id, '...');
    assert.equal((await h.call('DELETE', '/credentials/...')).status, 204);
  });

  test('PUT validates like create: type, id pattern, lengths, nulls', async () => {
    await h.call('POST', '/credentials', credentialBody('put-val'));
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ type: 'vault' }, "'type' must be one of"],
      [{ id: 'bad id' }, "'id' must match"],
      [{ id: '..' }, `'id' must not be ".."`],
      [{ name: longText }, "'name' must be at most 256"],
      [{ name: null }, "'name' must not be null"],
      [{ credentialStoreId: '' }, "'credentialStoreId' must not be empty"],
      [{ userId: longText }, "'userId' must be at most 256"],
    ];
    for (const [body, detail] of cases) {
      const problem = expectProblem(await h.call('PUT', '/credentials/put-val', body), 400, 'bad_request');
      assert.ok(problem.detail.includes(detail), problem.detail);
    }
  });

  test('path id is validated like a body id', async () => {
    expectProblem(await h.call('GET', '/credentials/bad%20id'), 400, 'bad_request');
  });
});

describe('manage API: credential pagination edges', () => {
  let h: ManageHarness;
  let cleanup: () => void;
  const TOTAL = 105;
  before(async () => {
    const db = tempDbPath();
    cleanup = db.cleanup;
    h = await startManageServer(db.dbPath);
    for (let i = 0; i < TOTAL; i++) {
      const reply = await h.call('POST', '/credentials', credentialBody(`cred-${String(i).padStart(3, '0')}`));
      assert.equal(reply.status, 201);
    }
  });
  after(async () => {
    await h.server.close();
    cleanup();
  });

  test('default page: 10 items, pages = ceil(total / limit)', async () => {
    const list = await h.call('GET', '/credentials');
    assert.equal(list.body.data.length, 10);
    assert.deepEqual(list.body.pagination, { page: 1, limit: 10, total: TOTAL, pages: 11 });
  });

  test('last page holds the remainder; past the end is empty with the same totals', async () => {
    const last = await h.call('GET', '/credentials?page=11');
    assert.equal(last.body.data.length, 5);
    assert.equal(last.body.data[4].id, 'cred-104');
    const past = await h.call('GET', '/credentials?page=12');
    assert.deepEqual(past.body, { data: [], pagination: { page: 12, limit: 10, total: TOTAL, pages: 11 } });
  });

  test('limit 100 → 100 items; the two pages cover every id exactly once', async () => {
    const first = await h.call('GET', '/credentials?limit=100');
    const second = await h.call('GET', '/credentials?limit=100&page=2');
    assert.equal(first.body.data.length, 100);
    assert.equal(second.body.data.length, 5);
    const ids = [...first.body.data, ...second.body.data].map((c: { id: string }) => c.id);
    assert.equal(new Set(ids).size, TOTAL);
  });

  test('limit 1 is allowed', async () => {
    const one = await h.call('GET', '/credentials?limit=1&page=105');
    assert.deepEqual(one.body.data.map((c: { id: string }) => c.id), ['cred-104']);
    assert.equal(one.body.pagination.pages, 105);
  });

  for (const query of ['limit=101', 'limit=0', 'limit=-1', 'limit=abc', 'limit=1.5', 'page=0', 'page=-2', 'page=x']) {
    test(`?${query} → 400 naming the parameter`, async () => {
      const problem = expectProblem(await h.call('GET', `/credentials?${query}`), 400, 'bad_request');
      assert.ok(problem.detail.includes(`'${query.split('=')[0]}'`), problem.detail);
    });
  }
});

function memoryStoreOf(h: ManageHarness): MemoryCredentialStore {
  return h.stores.get('memory-default') as MemoryCredentialStore;
}

function expectSeedDeleteError(reply: Reply, status: number, code: string): { message: string } {
  assert.equal(reply.status, status, reply.text);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const body = reply.body as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'detail', 'details', 'error', 'instance', 'message', 'requestId', 'status', 'title']);
  assert.equal(body.code, code);
  assert.equal(body.status, status);
  assert.equal(body.details, null);
  assert.equal(body.error, body.title, "the seed's error is a string: the title");
  assert.equal(body.message, body.detail);
  assert.match(String(body.requestId), /^req_/);
  return { message: String(body.message) };
}
