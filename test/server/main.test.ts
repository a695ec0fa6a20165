import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from './run-main.js';

test('npm run server: a malformed config file stops it with a message naming file and field', { timeout: 20_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ink-auth-main-'));
  const file = join(dir, 'apps.json');
  writeFileSync(file, JSON.stringify({ apps: [{ id: 'app_x', projectId: 'p', name: 'n', config: { type: 'web_client' } }] }));
  const run = await runMain({ NODE_ENV: 'development', INK_AUTH_CONFIG: file });
  await run.stop();
  assert.equal(run.code, 1);
  assert.match(run.err, /not started: Invalid app configuration in .*apps\.json: apps\[0\]\.config\.webClient is required/);
  assert.equal(run.url, undefined);
});

test('npm run server: refuses to start in production without a JWT secret', { timeout: 20_000 }, async () => {
  const run = await runMain({ NODE_ENV: 'production' });
  await run.stop();
  assert.equal(run.code, 1);
  assert.match(run.err, /INKEEP_ANON_JWT_SECRET is not set/);
});

test('npm run server: starts in development with a random secret and serves a challenge', { timeout: 20_000 }, async () => {
  const run = await runMain({ NODE_ENV: 'development', INKEEP_POW_HMAC_SECRET: 'p'.repeat(40), INKEEP_POW_DIFFICULTY: '1000' });
  try {
    assert.ok(run.url, `no listening line; stderr: ${run.err}`);
    assert.match(run.out, /random per-process secret/);
    assert.ok(!run.out.includes('p'.repeat(40)), 'the PoW secret is never printed');
    const res = await fetch(`${run.url}/run/auth/pow/challenge`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { maxnumber: number }).maxnumber, 1000);
  } finally {
    await run.stop();
  }
});
