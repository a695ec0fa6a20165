import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../server/core/config-error.js';
import { describeDatabaseUrl, stateSettingsFromEnv } from '../../../server/state/state-settings.js';

test('DATABASE_URL, INK_AUTH_DB and INK_AUTH_CONFIG_MODE are read; defaults are SQLite and seed', () => {
  assert.deepEqual(stateSettingsFromEnv({}), { sqlitePath: './.data/ink-auth.db', configMode: 'seed' });
  assert.deepEqual(
    stateSettingsFromEnv({ DATABASE_URL: ' postgres://u:p@h:5432/d ', INK_AUTH_DB: '/tmp/x.db', INK_AUTH_CONFIG_MODE: 'overwrite' }),
    { databaseUrl: 'postgres://u:p@h:5432/d', sqlitePath: '/tmp/x.db', configMode: 'overwrite' },
  );
});

test('a bad INK_AUTH_CONFIG_MODE or a non-PostgreSQL DATABASE_URL is a ConfigError naming the variable, never the password', () => {
  assert.throws(() => stateSettingsFromEnv({ INK_AUTH_CONFIG_MODE: 'merge' }), (e: unknown) => e instanceof ConfigError && /INK_AUTH_CONFIG_MODE/.test(e.message));
  for (const url of ['mysql://root:s3cret@h/d', 'not a url s3cret']) {
    assert.throws(
      () => stateSettingsFromEnv({ DATABASE_URL: url }),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith('DATABASE_URL') && !e.message.includes('s3cret'),
    );
  }
});

test('a DATABASE_URL is described without its password', () => {
  assert.equal(describeDatabaseUrl('postgresql://ink%20auth:p%40ss@db.internal:6432/ink?sslmode=require'), 'postgres://ink auth@db.internal:6432/ink');
  assert.equal(describeDatabaseUrl('postgres://db/ink'), 'postgres://db/ink');
});
