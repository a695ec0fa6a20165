import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postgresSkipReason } from '../../../scripts/postgres-cluster.js';

test('without PostgreSQL binaries a local run skips with one reason, and CI=true fails instead', () => {
  assert.equal(postgresSkipReason({ bin: '/usr/lib/postgresql/15/bin', ci: 'true' }), undefined);
  assert.match(postgresSkipReason({ bin: undefined, ci: undefined }) ?? '', /^PostgreSQL binaries not found .*: PostgreSQL suites skipped$/);
  assert.throws(() => postgresSkipReason({ bin: undefined, ci: 'true' }), /CI=true requires them/);
});
