import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialStoreRegistry } from '../../server/manage/credential-stores/credential-store.js';
import { KeychainCredentialStore } from '../../server/manage/credential-stores/keychain-credential-store.js';
import { MemoryCredentialStore } from '../../server/manage/credential-stores/memory-credential-store.js';
import { NangoCredentialStore } from '../../server/manage/credential-stores/nango-credential-store.js';
import type { RunCommand } from '../../server/manage/credential-stores/run-command.js';
import { OTHER_TENANT_KEY, expectProblem, startManageServer, tempDbPath, type ManageHarness } from '../server/manage/manage-fixture.js';
import { startFakeNango, type FakeNango } from './fake-nango.js';

const NANGO_SECRET = 'nango-secret-key-for-tests';
const VICTIM_VALUE = 'sk_victim_secret_value_0001';
const ATTACKER_VALUE = 'sk_attacker_value_0002';
const SHARED_KEY = JSON.stringify({ connectionId: 'conn-shared', providerConfigKey: 'github' });

/** Every secret-tool call the keychain store makes, with a Secret Service that always answers. */
const secretToolCalls: Array<readonly string[]> = [];
const fakeSecretService: RunCommand = async (file, args) => {
  if (file === 'dbus-send') return { exitCode: 0, stdout: '   boolean true\n' };
  secretToolCalls.push(args);
  return { exitCode: 0, stdout: args[0] === 'lookup' ? 'x' : '' };
};

describe('credential stores are scoped to the caller’s tenant and project', () => {
  let nango: FakeNango;
  let h: ManageHarness;
  let cleanup = (): void => {};
  let victimUrl = '';
  // The keychain store looks for secret-tool on PATH; the calls themselves go to fakeSecretService.
  const fakeBin = mkdtempSync(join(tmpdir(), 'ink-auth-bin-'));
  writeFileSync(join(fakeBin, 'secret-tool'), '#!/bin/sh\nexit 1\n');
  chmodSync(join(fakeBin, 'secret-tool'), 0o755);

  before(async () => {
    nango = await startFakeNango(NANGO_SECRET);
    const db = tempDbPath();
    cleanup = () => {
      db.cleanup();
      rmSync(fakeBin, { recursive: true, force: true });
    };
    const stores = new CredentialStoreRegistry([
      new MemoryCredentialStore('memory-default'),
      new KeychainCredentialStore('keychain-default', { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/fake', PATH: fakeBin }, fakeSecretService),
      NangoCredentialStore.fromEnv('nango-default', { NANGO_SECRET_KEY: NANGO_SECRET, NANGO_SERVER_URL: nango.url }),
    ]);
    h = await startManageServer(db.dbPath, stores);
    victimUrl = `${h.server.url}/manage/tenants/tenant_other/projects/project_other`;
  });
  after(async () => {
    await h.server.close();
    await nango.close();
    cleanup();
  });

  const victimCall = (method: string, path: string, body?: unknown) => h.call(method, `${victimUrl}${path}`, body, OTHER_TENANT_KEY);

  test('nango: a write with the same connection key as another tenant never overwrites its connection', async () => {
    assert.equal((await victimCall('POST', '/credential-stores/nango-default/credentials', { key: SHARED_KEY, value: VICTIM_VALUE })).status, 201);
    assert.equal((await h.call('POST', '/credential-stores/nango-default/credentials', { key: SHARED_KEY, value: ATTACKER_VALUE })).status, 201);
    const held = [...nango.connections.values()];
    assert.equal(held.length, 2, 'each tenant gets its own Nango connection');
    assert.equal(held.filter((c) => c.apiKey === VICTIM_VALUE).length, 1, 'the victim’s secret is intact');
  });

  test('nango: creating and deleting a reference that names the same key deletes only the caller’s connection', async () => {
    const ref = { id: 'ref-steal', name: 'steal', type: 'nango', credentialStoreId: 'nango-default', retrievalParams: { key: SHARED_KEY } };
    assert.equal((await h.call('POST', '/credentials', ref)).status, 201);
    assert.equal((await h.call('DELETE', '/credentials/ref-steal')).status, 204);
    const held = [...nango.connections.values()];
    assert.deepEqual(held.map((c) => c.apiKey), [VICTIM_VALUE]);
  });

  test('nango: a reference whose key names another scope’s connection id is refused with 400', async () => {
    const victimConnection = [...nango.connections.values()][0]!.connectionId;
    for (const [i, connectionId] of [victimConnection, 'tenant_other:project_other:conn-shared'].entries()) {
      const key = JSON.stringify({ connectionId, providerConfigKey: 'github' });
      const body = { id: `ref-named-${i}`, name: 'named', type: 'nango', credentialStoreId: 'nango-default', retrievalParams: { key } };
      const problem = expectProblem(await h.call('POST', '/credentials', body), 400, 'bad_request');
      assert.match(problem.detail, /retrievalParams\.key/);
      const own = { key: JSON.stringify({ connectionId: `own-${i}`, providerConfigKey: 'github' }) };
      assert.equal((await h.call('POST', '/credentials', { ...body, retrievalParams: own })).status, 201);
      expectProblem(await h.call('PUT', `/credentials/ref-named-${i}`, { retrievalParams: { key } }), 400, 'bad_request');
      expectProblem(await h.call('POST', '/credential-stores/nango-default/credentials', { key, value: ATTACKER_VALUE }), 422, 'unprocessable_entity');
    }
    assert.deepEqual([...nango.connections.values()].map((c) => c.apiKey), [VICTIM_VALUE]);
  });

  test('keychain: every attribute comes after `--`, so a key can never be read as an option', async () => {
    secretToolCalls.length = 0;
    assert.equal((await h.call('POST', '/credential-stores/keychain-default/credentials', { key: '--label=forged', value: ATTACKER_VALUE })).status, 201);
    const store = secretToolCalls.find((args) => args[0] === 'store');
    assert.ok(store, 'secret-tool store ran');
    const separator = store.indexOf('--');
    assert.ok(separator > 0, `no -- in ${JSON.stringify(store)}`);
    assert.ok(store.indexOf('--label=forged') > separator);
    assert.deepEqual(store.slice(separator + 1, separator + 3), ['service', 'ink-auth']);
    await h.call('POST', '/credentials', { id: 'kc', name: 'kc', type: 'keychain', credentialStoreId: 'keychain-default', retrievalParams: { key: '-x' } });
    assert.equal((await h.call('DELETE', '/credentials/kc')).status, 204);
    for (const args of secretToolCalls) assert.ok(args.indexOf('--') > 0 && args.indexOf('--') < args.indexOf('service'), JSON.stringify(args));
  });

  test('project and tenant ids in the path are validated before any store sees them', async () => {
    for (const project of ['a%20b', 'p%3Aq', 'x%0Ay', '%E2%80%AEp']) {
      const url = `${h.server.url}/manage/tenants/tenant_demo/projects/${project}/credential-stores/memory-default/credentials`;
      const problem = expectProblem(await h.call('POST', url, { key: 'k', value: ATTACKER_VALUE }), 400, 'bad_request');
      assert.match(problem.detail, /projectId/);
    }
  });
});
