import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withStores, type OpenStores } from './harness.js';

const scope = { tenantId: 'tenant_a', projectId: 'project_a' };
const input = { ...scope, appId: 'app_a', agentId: 'agent_a', name: 'backend', expiresAt: null };

export function serviceKeyContract(open: OpenStores): void {
  describe('ServiceApiKeyStore', () => {
    it('creates a key whose secret is returned once and verifies; the record holds only a prefix', () =>
      withStores(open, async ({ serviceKeys }) => {
        const { secret, record } = await serviceKeys.create(input);
        assert.match(record.id, /^sk_[0-9a-f]{16}$/);
        assert.ok(secret.startsWith(record.prefix) && record.prefix.length < secret.length / 2);
        assert.ok(!JSON.stringify(record).includes(secret));
        assert.equal(record.lastUsedAt, null);
        const verified = await serviceKeys.verify(secret);
        assert.equal(verified?.id, record.id);
        assert.equal(verified?.agentId, 'agent_a');
        assert.notEqual(verified?.lastUsedAt, null, 'verify records the use');
        assert.equal(await serviceKeys.verify(`${secret}x`), undefined);
        assert.equal(await serviceKeys.verify(''), undefined);
      }));

    it('lists, gets and revokes only inside its tenant and project', () =>
      withStores(open, async ({ serviceKeys }, clock) => {
        const first = await serviceKeys.create(input);
        clock.advance(1);
        const second = await serviceKeys.create({ ...input, name: 'second' });
        await serviceKeys.create({ ...input, tenantId: 'tenant_b' });
        const page = await serviceKeys.list(scope, { page: 1, limit: 1 });
        assert.deepEqual(page.pagination, { page: 1, limit: 1, total: 2, pages: 2 });
        assert.equal(page.data[0]?.id, first.record.id);
        assert.equal((await serviceKeys.list(scope, { page: 2, limit: 1 })).data[0]?.id, second.record.id);
        const other = { tenantId: 'tenant_b', projectId: 'project_a' };
        assert.equal(await serviceKeys.get(other, first.record.id), undefined);
        assert.equal(await serviceKeys.revoke(other, first.record.id), false);
        assert.equal((await serviceKeys.get(scope, first.record.id))?.name, 'backend');
        assert.equal(await serviceKeys.revoke(scope, first.record.id), true);
        assert.equal(await serviceKeys.verify(first.secret), undefined, 'a revoked key no longer verifies');
        assert.equal(await serviceKeys.get(scope, first.record.id), undefined);
      }));

    it('refuses an expired key from its expiry instant on', () =>
      withStores(open, async ({ serviceKeys }, clock) => {
        const expiresAt = new Date(clock.now() + 60_000).toISOString();
        const { secret } = await serviceKeys.create({ ...input, expiresAt });
        assert.notEqual(await serviceKeys.verify(secret), undefined);
        clock.advance(60_000);
        assert.equal(await serviceKeys.verify(secret), undefined);
      }));
  });
}
