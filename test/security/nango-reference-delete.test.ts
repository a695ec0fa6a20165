import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CredentialStoreRegistry } from '../../server/manage/credential-stores/credential-store.js';
import { NangoCredentialStore } from '../../server/manage/credential-stores/nango-credential-store.js';
import { startManageServer, tempDbPath, type ManageHarness } from '../server/manage/manage-fixture.js';
import { startFakeNango, type FakeNango } from './fake-nango.js';

const NANGO_SECRET = 'nango-secret-key-for-tests';

describe('a nango reference without a valid key can still be deleted', () => {
  let nango: FakeNango;
  let h: ManageHarness;
  let cleanup = (): void => {};
  before(async () => {
    nango = await startFakeNango(NANGO_SECRET);
    const db = tempDbPath();
    cleanup = db.cleanup;
    const stores = new CredentialStoreRegistry([NangoCredentialStore.fromEnv('nango-default', { NANGO_SECRET_KEY: NANGO_SECRET, NANGO_SERVER_URL: nango.url })]);
    h = await startManageServer(db.dbPath, stores);
  });
  after(async () => {
    await h.server.close();
    await nango.close();
    cleanup();
  });

  test('no retrievalParams (the secret would be named by the id, not a connection key) → 204, and it is gone', async () => {
    assert.equal((await h.call('POST', '/credentials', { id: 'nango-ref', name: 'n', type: 'nango', credentialStoreId: 'nango-default' })).status, 201);
    assert.equal((await h.call('DELETE', '/credentials/nango-ref')).status, 204);
    assert.equal((await h.call('GET', '/credentials/nango-ref')).status, 404);
  });

  test('retrievalParams without a key → 204', async () => {
    const body = { id: 'nango-ref-2', name: 'n', type: 'nango', credentialStoreId: 'nango-default', retrievalParams: { region: 'eu' } };
    assert.equal((await h.call('POST', '/credentials', body)).status, 201);
    assert.equal((await h.call('DELETE', '/credentials/nango-ref-2')).status, 204);
  });

  test('a valid key still deletes its Nango connection first', async () => {
    const key = JSON.stringify({ connectionId: 'c1', providerConfigKey: 'github' });
    assert.equal((await h.call('POST', '/credential-stores/nango-default/credentials', { key, value: 'sk_value_1' })).status, 201);
    assert.equal(nango.connections.size, 1);
    const body = { id: 'nango-ref-3', name: 'n', type: 'nango', credentialStoreId: 'nango-default', retrievalParams: { key } };
    assert.equal((await h.call('POST', '/credentials', body)).status, 201);
    assert.equal((await h.call('DELETE', '/credentials/nango-ref-3')).status, 204);
    assert.equal(nango.connections.size, 0);
  });
});
