import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { loadConfigFromEnv, startServer, type RunningServer } from '../../../server/index.js';

// A client written from seed 004 alone: it knows `POST /v1/auth/challenges {app_name}` and
// `POST /v1/auth/api_keys {challenge_id, code}`, sends JSON, and nothing else — no app id, no
// `Anytype-Version` header (the seed gives that parameter a default). The servers below are
// configured the way `npm run server` configures itself: from environment variables.

const dir = mkdtempSync(join(tmpdir(), 'ink-auth-pairing-seed-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function webApp(id: string) {
  return {
    id,
    tenantId: 'tenant_seed',
    projectId: 'project_seed',
    name: id,
    defaultAgentId: 'agent_seed',
    config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: false } },
  };
}

function appsFile(name: string, content: object): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

/** A server configured from `env` alone; its state in memory unless `env` names a file (never `.data/`). */
async function serverFromEnv(env: NodeJS.ProcessEnv): Promise<{ server: RunningServer; codes: Map<string, string> }> {
  const config = await loadConfigFromEnv({ NODE_ENV: 'test', INK_AUTH_DB: ':memory:', ...env });
  const codes = new Map<string, string>();
  const server = await startServer({ config, log: () => {}, onPairingCode: (code, info) => codes.set(info.challengeId, code) });
  return { server, codes };
}

/** Exactly what the seed's client sends. */
function seedPost(server: RunningServer, path: string, body: object): Promise<Response> {
  return fetch(`${server.url}/v1/auth${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The seed flow to its end; returns the 201 body of `api_keys`. */
async function pairLikeTheSeed(server: RunningServer, codes: Map<string, string>): Promise<Record<string, string>> {
  const created = await seedPost(server, '/challenges', { app_name: 'Seed client' });
  assert.equal(created.status, 201, await created.clone().text());
  assert.equal(created.headers.get('anytype-version'), '2025-11-08');
  const { challenge_id } = (await created.json()) as { challenge_id: string };
  assert.match(challenge_id, /^[0-9a-f]{24}$/);
  const code = codes.get(challenge_id);
  assert.ok(code, 'the person in charge of the server was shown the code');
  const issued = await seedPost(server, '/api_keys', { challenge_id, code });
  assert.equal(issued.status, 201, await issued.clone().text());
  return (await issued.json()) as Record<string, string>;
}

/** Uses the key the way docs/pairing.md says: Bearer, plus the app it was issued for. */
async function chatWith(server: RunningServer, apiKey: string, appId: string): Promise<Response> {
  return fetch(`${server.url}/run/api/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'x-inkeep-app-id': appId, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hello from the seed client' }] }),
  });
}

describe('a client written from seed 004 alone', () => {
  it('pairs with the pairing app the default configuration names and gets a working key', async () => {
    const { server, codes } = await serverFromEnv({});
    try {
      const issued = await pairLikeTheSeed(server, codes);
      assert.match(issued['api_key'] ?? '', /^[A-Za-z0-9+/]{43}=$/, 'base64 of 32 bytes, as the seed-era API');
      assert.equal(issued['app_id'], 'app_inkauthdemo0000000000');
      const verified = await server.pairing.verifyApiKey(issued['api_key']!);
      assert.equal(verified?.appId, 'app_inkauthdemo0000000000');
      const chat = await chatWith(server, issued['api_key']!, issued['app_id']!);
      assert.equal(chat.status, 200, await chat.clone().text());
      assert.match(chat.headers.get('content-type') ?? '', /text\/event-stream/);
      await chat.text();
    } finally {
      await server.close();
    }
  });

  it("still pairs with the demo app when a second web app is added to a copy of npm start's config", async () => {
    const defaults = JSON.parse(readFileSync(fileURLToPath(new URL('../../../server/default-config.json', import.meta.url)), 'utf8'));
    const file = appsFile('default-plus-one.json', { ...defaults, apps: [...defaults.apps, webApp('app_seedtwo0000000000000')] });
    const { server, codes } = await serverFromEnv({ INK_AUTH_CONFIG: file });
    try {
      assert.equal((await pairLikeTheSeed(server, codes))['app_id'], 'app_inkauthdemo0000000000');
    } finally {
      await server.close();
    }
  });

  it('pairs with the app INK_AUTH_PAIRING_APP names when several apps are configured', async () => {
    const file = appsFile('two-apps.json', { apps: [webApp('app_seedone0000000000000'), webApp('app_seedtwo0000000000000')] });
    const { server, codes } = await serverFromEnv({ INK_AUTH_CONFIG: file, INK_AUTH_PAIRING_APP: 'app_seedtwo0000000000000' });
    try {
      const issued = await pairLikeTheSeed(server, codes);
      assert.equal(issued['app_id'], 'app_seedtwo0000000000000');
      assert.equal((await chatWith(server, issued['api_key']!, 'app_seedtwo0000000000000')).status, 200);
      assert.equal((await chatWith(server, issued['api_key']!, 'app_seedone0000000000000')).status, 401, 'the key serves its app only');
    } finally {
      await server.close();
    }
  });

  it('pairs with the app the apps file\'s "pairing" section names', async () => {
    const file = appsFile('pairing-section.json', {
      apps: [webApp('app_seedone0000000000000'), webApp('app_seedtwo0000000000000')],
      pairing: { appId: 'app_seedone0000000000000' },
    });
    const { server, codes } = await serverFromEnv({ INK_AUTH_CONFIG: file });
    try {
      assert.equal((await pairLikeTheSeed(server, codes))['app_id'], 'app_seedone0000000000000');
    } finally {
      await server.close();
    }
  });

  it('gets a clear 400 naming the setting when the server has no pairing app', async () => {
    const file = appsFile('no-pairing-app.json', { apps: [webApp('app_seedone0000000000000'), webApp('app_seedtwo0000000000000')] });
    const { server, codes } = await serverFromEnv({ INK_AUTH_CONFIG: file });
    try {
      const res = await seedPost(server, '/challenges', { app_name: 'Seed client' });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      const body = (await res.json()) as { code: string; reason: string; detail: string };
      assert.equal(body.code, 'bad_request');
      assert.equal(body.reason, 'pairing_app_unset');
      assert.match(body.detail, /INK_AUTH_PAIRING_APP/);
      assert.match(body.detail, /INK_AUTH_CONFIG/);
      assert.equal(codes.size, 0);
    } finally {
      await server.close();
    }
  });

  it('an unknown Anytype-Version is still a 400', async () => {
    const { server } = await serverFromEnv({});
    try {
      const res = await fetch(`${server.url}/v1/auth/challenges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anytype-version': '2031-01-01' },
        body: JSON.stringify({ app_name: 'Seed client' }),
      });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { reason: string }).reason, 'version_unsupported');
    } finally {
      await server.close();
    }
  });
});
