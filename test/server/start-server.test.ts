import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../server/index.js';

test('startServer() with no options: loopback, ephemeral port, random secret, PoW off, demo app', async () => {
  const server = await startServer({ log: () => {} });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    assert.equal(server.config.jwtSecretGenerated, true);
    assert.ok(server.config.jwtSecret.length >= 32);
    assert.equal(server.config.pow, null);
    assert.equal(server.config.sessionLifetimeSeconds, 2_592_000);
    const demo = await server.registry.get('app_inkauthdemo0000000000');
    assert.equal(demo?.name, 'ink-auth demo');
    const res = await fetch(`${server.url}/run/auth/apps/app_inkauthdemo0000000000/anonymous-session`, {
      method: 'POST',
      headers: { origin: 'http://127.0.0.1:8000' },
    });
    assert.equal(res.status, 200);
  } finally {
    await server.close();
  }
});

test('two servers get independent secrets: a token from one is not accepted by the other', async () => {
  const a = await startServer({ log: () => {} });
  const b = await startServer({ log: () => {} });
  try {
    const appId = 'app_inkauthdemo0000000000';
    const res = await fetch(`${a.url}/run/auth/apps/${appId}/anonymous-session`, { method: 'POST', headers: { origin: 'http://localhost' } });
    const { token } = (await res.json()) as { token: string };
    const chat = await fetch(`${b.url}/run/api/chat`, {
      method: 'POST',
      headers: { origin: 'http://localhost', authorization: `Bearer ${token}`, 'x-inkeep-app-id': appId },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(chat.status, 401);
    await chat.body?.cancel();
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
