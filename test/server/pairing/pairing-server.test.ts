import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';
import { completeConfig, createApp, MemoryAppRegistry, startServer, type AppRecord } from '../../../server/index.js';
import { PairingService } from '../../../server/pairing/pairing-service.js';
import { MemoryConversationStore } from '../../../server/state/memory/conversation-store.js';
import { MemoryServiceApiKeyStore } from '../../../server/state/memory/service-api-key-store.js';

const VERSION = '2025-11-08';
const APP_ID = 'app_pairingsrv0000000001';
const OTHER_APP_ID = 'app_pairingsrv0000000002';

function app(id: string, overrides: Partial<AppRecord> = {}): AppRecord {
  const now = new Date().toISOString();
  return {
    id,
    tenantId: 'tenant_pair',
    projectId: 'project_pair',
    name: 'pairing server test',
    description: null,
    type: 'web_client',
    defaultAgentId: 'agent_pair',
    enabled: true,
    // Pairing must not depend on anonymous sessions being allowed.
    config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: false, publicKeys: [] } },
    lastUsedAt: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

interface Harness {
  url: string;
  registry: MemoryAppRegistry;
  pairing: PairingService;
  codes: Map<string, string>;
  lines: string[];
  close(): Promise<void>;
}

/** The real app on a real socket; `creationLimit` lets one test pair many times from 127.0.0.1. */
async function listen(creationLimit?: { burst: number; perMinute: number }): Promise<Harness> {
  const codes = new Map<string, string>();
  const lines: string[] = [];
  const log = (line: string) => void lines.push(line);
  const config = completeConfig({ jwtSecret: 'pairing-test-jwt-secret-0123456789abcdef', pow: null, apps: [app(APP_ID), app(OTHER_APP_ID)] });
  const registry = new MemoryAppRegistry(config.apps);
  const pairing = new PairingService({ apps: registry, log, onPairingCode: (code, info) => codes.set(info.challengeId, code), creationLimit });
  const server = serve({ fetch: createApp({ config, registry, log, pairing, conversations: new MemoryConversationStore(), serviceKeys: new MemoryServiceApiKeyStore() }).fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    registry,
    pairing,
    codes,
    lines,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('startServer wiring', () => {
  it('prints the code, hands it to onPairingCode, and rate limits one address (429 + Retry-After)', async () => {
    const codes: string[] = [];
    const lines: string[] = [];
    const server = await startServer({
      log: (line) => lines.push(line),
      onPairingCode: (code) => codes.push(code),
      config: { pow: null, apps: [app(APP_ID)] },
    });
    try {
      const headers = { 'content-type': 'application/json', 'anytype-version': VERSION, 'x-inkeep-app-id': APP_ID };
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${server.url}/v1/auth/challenges`, { method: 'POST', headers, body: JSON.stringify({ app_name: 'Console check' }) });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
        await res.body?.cancel();
      }
      assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429]);
      assert.ok(Number(retryAfter) >= 1);
      assert.equal(codes.length, 5);
      for (const code of codes) assert.ok(lines.some((l) => l.includes('Console check') && l.includes(code)), 'console line names app and code');
    } finally {
      await server.close();
    }
  });
});

describe('pairing through the running server', () => {
  let server: Harness;
  before(async () => {
    server = await listen({ burst: 100, perMinute: 100 });
  });
  after(() => server.close());

  async function pair(appId = APP_ID, appName = 'Terminal chat'): Promise<{ api_key: string; key_id: string }> {
    const headers = { 'content-type': 'application/json', 'anytype-version': VERSION, 'x-inkeep-app-id': appId };
    const created = await fetch(`${server.url}/v1/auth/challenges`, { method: 'POST', headers, body: JSON.stringify({ app_name: appName }) });
    assert.equal(created.status, 201);
    assert.match(created.headers.get('x-request-id') ?? '', /^req_[0-9a-f]+$/);
    const { challenge_id } = (await created.json()) as { challenge_id: string };
    const code = server.codes.get(challenge_id);
    assert.ok(code, 'onPairingCode received the code');
    const issued = await fetch(`${server.url}/v1/auth/api_keys`, { method: 'POST', headers, body: JSON.stringify({ challenge_id, code }) });
    assert.equal(issued.status, 201);
    return (await issued.json()) as { api_key: string; key_id: string };
  }

  function chat(apiKey: string, appId = APP_ID, headers: Record<string, string> = {}) {
    return fetch(`${server.url}/run/api/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'x-inkeep-app-id': appId, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hello pairing' }] }),
    });
  }

  it('a paired key authenticates POST /run/api/chat for its app (read with the AI SDK client)', async () => {
    const key = await pair();
    const transport = new DefaultChatTransport<UIMessage>({
      api: `${server.url}/run/api/chat`,
      headers: { authorization: `Bearer ${key.api_key}`, 'x-inkeep-app-id': APP_ID, origin: 'http://localhost:5173' },
    });
    const stream = await transport.sendMessages({
      trigger: 'submit-message',
      chatId: 'paired-chat',
      messageId: undefined,
      messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'hello pairing' }] }],
      abortSignal: undefined,
    });
    let reply: UIMessage | undefined;
    for await (const message of readUIMessageStream<UIMessage>({ stream, terminateOnError: true })) reply = message;
    const text = reply?.parts.map((part) => (part.type === 'text' ? part.text : '')).join('') ?? '';
    assert.ok(text.includes(key.key_id), `the caller is named by its key id: ${text}`);
    assert.ok(text.includes('"hello pairing"'));
  });

  it('a key works for the app it was paired for only, and from allowed origins only', async () => {
    const key = await pair();
    assert.equal((await chat(key.api_key, OTHER_APP_ID)).status, 401);
    assert.equal((await chat(key.api_key, APP_ID, { origin: 'https://evil.example' })).status, 403);
    assert.equal((await chat('A'.repeat(43) + '=')).status, 401);
  });

  it('a revoked key gets 401 on chat (self-revocation over HTTP)', async () => {
    const key = await pair();
    assert.equal((await chat(key.api_key)).status, 200);
    const revoked = await fetch(`${server.url}/v1/auth/api_keys/${key.key_id}`, {
      method: 'DELETE',
      headers: { 'anytype-version': VERSION, authorization: `Bearer ${key.api_key}` },
    });
    assert.equal(revoked.status, 204);
    const res = await chat(key.api_key);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.equal(((await res.json()) as { code: string }).code, 'unauthorized');
  });

  it('a key revoked through the programmatic API gets 401 on chat', async () => {
    const key = await pair();
    assert.equal(await server.pairing.revokeApiKey(key.key_id), true);
    assert.equal((await chat(key.api_key)).status, 401);
  });

  it('a disabled app stops accepting its keys', async () => {
    const key = await pair();
    const registry = server.registry;
    await registry.put(app(APP_ID, { enabled: false }));
    try {
      assert.equal((await chat(key.api_key)).status, 401);
    } finally {
      await registry.put(app(APP_ID));
    }
  });

  it('never logs an issued key', async () => {
    const key = await pair();
    assert.equal(server.lines.some((l) => l.includes(key.api_key)), false);
  });
});
