import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postgresSkipReason } from './postgres-cluster.js';

test('without PostgreSQL binaries a local run skips with one reason, and CI=true fails instead', () => {
  assert.equal(postgresSkipReason('/usr/lib/postgresql/15/bin', 'true'), undefined);
  assert.match(postgresSkipReason(undefined, undefined) ?? '', /^PostgreSQL binaries not found .*: PostgreSQL suites skipped$/);
  assert.throws(() => postgresSkipReason(undefined, 'true'), /CI=true requires them/);
});
