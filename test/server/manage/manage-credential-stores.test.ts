import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CredentialStoreRegistry, MAX_SECRET_BYTES } from '../../../server/manage/credential-stores/credential-store.js';
import { KEYRING_UNAVAILABLE_REASON, KeychainCredentialStore } from '../../../server/manage/credential-stores/keychain-credential-store.js';
import { MemoryCredentialStore } from '../../../server/manage/credential-stores/memory-credential-store.js';
import { NANGO_UNAVAILABLE_REASON, NangoCredentialStore } from '../../../server/manage/credential-stores/nango-credential-store.js';
import { expectProblem, startManageServer, tempDbPath, manageServerPerSuite } from './manage-fixture.js';

const SECRET = 'sk_live_write_only_7c4e2a91d0b3';
const scope = { tenantId: 'tenant_demo', projectId: 'project_demo' };

describe('manage API: credential stores (default stores, no keyring, no Nango key)', () => {
  const h = manageServerPerSuite();

  test('list: memory available; keychain and nango unavailable with the hosted reasons', async () => {
    const list = await h.call('GET', '/credential-stores');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, {
      data: [
        { id: 'memory-default', type: 'memory', available: true, reason: null },
        { id: 'keychain-default', type: 'keychain', available: false, reason: KEYRING_UNAVAILABLE_REASON },
        { id: 'nango-default', type: 'nango', available: false, reason: NANGO_UNAVAILABLE_REASON },
      ],
    });
  });

  test('create in memory store → 201 {key, storeId, createdAt}; the value is stored but never returned', async () => {
    const reply = await h.call('POST', '/credential-stores/memory-default/credentials', { key: 'api-key', value: SECRET, metadata: { env: 'prod' } });
    assert.equal(reply.status, 201);
    assert.deepEqual(Object.keys(reply.body.data).sort(), ['createdAt', 'key', 'storeId']);
    assert.equal(reply.body.data.key, 'api-key');
    assert.equal(reply.body.data.storeId, 'memory-default');
    assert.equal(await h.stores.get('memory-default')!.has(scope, 'api-key'), true);
  });

  test('unknown store → 404 "Credential store \'<id>\' not found"', async () => {
    const problem = expectProblem(await h.call('POST', '/credential-stores/vault-1/credentials', { key: 'k', value: SECRET }), 404, 'not_found');
    assert.equal(problem.detail, "Credential store 'vault-1' not found");
  });

  test('unavailable stores → 422 naming the store and the reason', async () => {
    for (const [id, reason] of [['keychain-default', KEYRING_UNAVAILABLE_REASON], ['nango-default', NANGO_UNAVAILABLE_REASON]]) {
      const problem = expectProblem(await h.call('POST', `/credential-stores/${id}/credentials`, { key: 'k', value: SECRET }), 422, 'unprocessable_entity');
      assert.equal(problem.detail, `Credential store '${id}' is not available: ${reason}`);
    }
  });

  const invalid: Array<[string, unknown, string]> = [
    ['missing key', { value: SECRET }, "'key' is required"],
    ['empty key', { key: '', value: SECRET }, "'key' must not be empty"],
    ['missing value', { key: 'k' }, "'value' is required"],
    ['numeric value', { key: 'k', value: 42 }, "'value' must be a string"],
    ['metadata array', { key: 'k', value: SECRET, metadata: [] }, "'metadata' must be an object"],
    ['metadata non-string', { key: 'k', value: SECRET, metadata: { n: 1 } }, "'metadata.n' must be a string"],
  ];
  for (const [name, body, detail] of invalid) {
    test(`create-in-store rejects ${name} → 400`, async () => {
      const problem = expectProblem(await h.call('POST', '/credential-stores/memory-default/credentials', body), 400, 'bad_request');
      assert.ok(problem.detail.includes(detail), problem.detail);
    });
  }

  test('a value over 64 KiB → 422 (or 413 when the body itself is too large)', async () => {
    const big = await h.call('POST', '/credential-stores/memory-default/credentials', { key: 'k', value: 'v'.repeat(MAX_SECRET_BYTES + 1) });
    assert.ok([413, 422].includes(big.status), String(big.status));
  });

  test('bad store id in the path → 400', async () => {
    expectProblem(await h.call('POST', '/credential-stores/a%20b/credentials', { key: 'k', value: SECRET }), 400, 'bad_request');
  });

  test('write-only: no response body and no log line ever contains a secret value', async () => {
    // Exercise every endpoint once more with the secret in play.
    await h.call('POST', '/credential-stores/memory-default/credentials', { key: 'again', value: SECRET });
    await h.call('POST', '/credentials', { id: 'ref-1', name: 'ref', type: 'memory', credentialStoreId: 'memory-default', retrievalParams: { key: 'again' } });
    for (const path of ['/credentials', '/credentials/ref-1', '/credential-stores', '/apps']) await h.call('GET', path);
    await h.call('PUT', '/credentials/ref-1', { name: 'renamed' });
    await h.call('DELETE', '/credentials/ref-1');
    assert.ok(h.bodies.length > 20);
    for (const body of h.bodies) assert.ok(!body.includes(SECRET), `secret leaked in a response: ${body.slice(0, 200)}`);
    assert.ok(h.logs.length > 20, 'request log captured');
    for (const line of h.logs) assert.ok(!line.includes(SECRET), `secret leaked in a log line: ${line}`);
  });
});

describe('memory store bounds', () => {
  test('a full store refuses new keys with store_full but still replaces existing ones', async () => {
    const store = new MemoryCredentialStore('memory-small', { maxSecrets: 2 });
    await store.set(scope, 'a', '1', null);
    await store.set(scope, 'b', '2', null);
    await assert.rejects(store.set(scope, 'c', '3', null), { reason: 'store_full' });
    await store.set(scope, 'a', 'replaced', null);
    assert.equal(store.size, 2);
  });

  test('keys are scoped per tenant and project', async () => {
    const store = new MemoryCredentialStore('m');
    await store.set(scope, 'k', 'v', null);
    assert.equal(await store.has({ tenantId: 'tenant_demo', projectId: 'other' }, 'k'), false);
    assert.equal(await store.delete({ tenantId: 'other', projectId: 'project_demo' }, 'k'), false);
    assert.equal(await store.has(scope, 'k'), true);
  });

  test('a full memory store answers 422 through the API', async () => {
    const db = tempDbPath();
    const h = await startManageServer(db.dbPath, new CredentialStoreRegistry([new MemoryCredentialStore('memory-default', { maxSecrets: 1 })]));
    try {
      assert.equal((await h.call('POST', '/credential-stores/memory-default/credentials', { key: 'one', value: SECRET })).status, 201);
      const problem = expectProblem(await h.call('POST', '/credential-stores/memory-default/credentials', { key: 'two', value: SECRET }), 422, 'unprocessable_entity');
      assert.match(problem.detail, /full/);
    } finally {
      await h.server.close();
      db.cleanup();
    }
  });
});

describe('keychain availability probe', () => {
  test('no session bus → unavailable without running anything', async () => {
    const calls: string[] = [];
    const store = new KeychainCredentialStore('keychain-default', { PATH: process.env.PATH }, async (file) => {
      calls.push(file);
      return { exitCode: 0, stdout: 'boolean true' };
    });
    assert.deepEqual(await store.availability(), { available: false, reason: KEYRING_UNAVAILABLE_REASON });
    assert.deepEqual(calls, []);
    await assert.rejects(store.set(scope, 'k', SECRET, null), { reason: 'store_unavailable' });
  });

  test('a bus but no secret-tool on PATH → unavailable', async () => {
    const store = new KeychainCredentialStore('k', { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', PATH: '/nonexistent' });
    assert.equal((await store.availability()).available, false);
  });

  test('this machine has no reachable Secret Service', async () => {
    const store = new KeychainCredentialStore('k');
    assert.deepEqual(await store.availability(), { available: false, reason: KEYRING_UNAVAILABLE_REASON });
  });

  test('with a Secret Service the value goes to secret-tool on stdin, never in argv', async () => {
    const calls: Array<{ file: string; args: readonly string[]; input?: string }> = [];
    const fakeBin = mkdtempSync(join(tmpdir(), 'ink-auth-bin-'));
    writeFileSync(`${fakeBin}/secret-tool`, '#!/bin/sh\nexit 1\n');
    chmodSync(`${fakeBin}/secret-tool`, 0o755);
    try {
      const store = new KeychainCredentialStore('k', { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/bus', PATH: fakeBin }, async (file, args, options) => {
        calls.push({ file, args, ...(options?.input !== undefined ? { input: options.input } : {}) });
        if (file === 'dbus-send') return { exitCode: 0, stdout: '   boolean true\n' };
        return { exitCode: 0, stdout: '' };
      });
      assert.deepEqual(await store.availability(), { available: true, reason: null });
      await store.set(scope, 'gh', SECRET, null);
      const storeCall = calls.find((c) => c.file === 'secret-tool');
      assert.ok(storeCall);
      assert.equal(storeCall.args[0], 'store');
      assert.equal(storeCall.input, SECRET);
      for (const c of calls) assert.ok(!c.args.some((a) => a.includes(SECRET)));
    } finally {
      rmSync(fakeBin, { recursive: true, force: true });
    }
  });
});

describe('nango store against a local stand-in for the Nango API', () => {
  let requests: Array<{ method: string; url: string; auth: string | undefined; body: string }> = [];
  let nangoUrl = '';
  let close: () => void = () => {};
  before(async () => {
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
        res.statusCode = req.method === 'DELETE' && req.url?.includes('missing') ? 404 : 200;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    nangoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(() => close());

  test('available iff NANGO_SECRET_KEY is set', async () => {
    assert.equal((await NangoCredentialStore.fromEnv('n', {}).availability()).available, false);
    assert.deepEqual(await NangoCredentialStore.fromEnv('n', { NANGO_SECRET_KEY: 'nk' }).availability(), { available: true, reason: null });
  });

  test('set imports an API-key connection; delete removes it; bad keys are 422-class errors', async () => {
    requests = [];
    const store = NangoCredentialStore.fromEnv('nango-default', { NANGO_SECRET_KEY: 'nango-secret', NANGO_SERVER_URL: nangoUrl });
    const key = JSON.stringify({ connectionId: 'conn-1', providerConfigKey: 'github' });
    await store.set(scope, key, SECRET, { team: 'a' });
    assert.equal(requests[0]?.method, 'POST');
    assert.equal(requests[0]?.url, '/connections');
    assert.equal(requests[0]?.auth, 'Bearer nango-secret');
    assert.deepEqual(JSON.parse(requests[0]!.body), {
      provider_config_key: 'github',
      connection_id: 'tenant_demo:project_demo:conn-1',
      credentials: { type: 'API_KEY', apiKey: SECRET },
      metadata: { team: 'a' },
    });
    assert.equal(await store.delete(scope, key), true);
    assert.equal(requests[1]?.method, 'DELETE');
    assert.equal(requests[1]?.url, '/connection/tenant_demo%3Aproject_demo%3Aconn-1?provider_config_key=github');
    assert.equal(await store.delete(scope, JSON.stringify({ connectionId: 'missing', providerConfigKey: 'github' })), false);
    await assert.rejects(store.set(scope, 'plain-key', SECRET, null), { reason: 'invalid_key' });
  });

  test('through the API: invalid nango key → 422; valid → 201', async () => {
    const db = tempDbPath();
    const nango = NangoCredentialStore.fromEnv('nango-default', { NANGO_SECRET_KEY: 'nango-secret', NANGO_SERVER_URL: nangoUrl });
    const h = await startManageServer(db.dbPath, new CredentialStoreRegistry([nango]));
    try {
      expectProblem(await h.call('POST', '/credential-stores/nango-default/credentials', { key: 'plain', value: SECRET }), 422, 'unprocessable_entity');
      const ok = await h.call('POST', '/credential-stores/nango-default/credentials', {
        key: JSON.stringify({ connectionId: 'c2', providerConfigKey: 'slack' }),
        value: SECRET,
      });
      assert.equal(ok.status, 201);
      for (const body of h.bodies) assert.ok(!body.includes(SECRET));
    } finally {
      await h.server.close();
      db.cleanup();
    }
  });

  test('Nango unreachable → 502 bad_gateway with a generic detail', async () => {
    const db = tempDbPath();
    const nango = NangoCredentialStore.fromEnv('nango-default', { NANGO_SECRET_KEY: 'nango-secret', NANGO_SERVER_URL: 'http://127.0.0.1:1' });
    const h = await startManageServer(db.dbPath, new CredentialStoreRegistry([nango]));
    try {
      const key = JSON.stringify({ connectionId: 'c3', providerConfigKey: 'slack' });
      expectProblem(await h.call('POST', '/credential-stores/nango-default/credentials', { key, value: SECRET }), 502, 'bad_gateway');
    } finally {
      await h.server.close();
      db.cleanup();
    }
  });
});
