import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAdminKeys } from '../../../server/manage/admin-auth.js';
import { startServer, type RunningServer } from '../../../server/index.js';
import { MemoryServiceApiKeyStore } from '../../../server/state/memory/service-api-key-store.js';
import { APP_ID, JWT_SECRET, OTHER_APP_ID, expectProblem, webApp } from '../helpers.js';
import { aiSdkChat, runCall, sessionToken, userMessage, type ChatCaller } from '../chat/chat-client.js';

const ADMIN = 'test-admin-key-0123456789abcdef';
const RIVAL_ADMIN = 'rival-admin-key-0123456789abcdef';
const KEYS_PATH = '/manage/tenants/tenant_test/projects/project_test/api-keys';

interface KeyView {
  id: string;
  appId: string;
  agentId: string;
  name: string;
  prefix: string;
  tenantId: string;
  projectId: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

describe('server-to-server API keys (manage API → run routes)', () => {
  let server: RunningServer;
  let clock = Date.now();
  const logs: string[] = [];

  const manage = (method: string, path: string, body?: unknown, key = ADMIN) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function createKey(body: Record<string, unknown>): Promise<{ key: string; apiKey: KeyView }> {
    const res = await manage('POST', KEYS_PATH, body);
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { data: { key: string; apiKey: KeyView } }).data;
  }

  /** A server-side caller: the key alone, no Origin, no app id header. */
  const keyCaller = (key: string, extra: Partial<ChatCaller> = {}): ChatCaller => ({ server, token: key, origin: null, appId: null, ...extra });

  before(async () => {
    // The manage API on a throwaway SQLite database; the key store's clock is the test's.
    server = await startServer({
      log: (line) => logs.push(line),
      serviceKeys: new MemoryServiceApiKeyStore({ now: () => clock }),
      config: {
        jwtSecret: JWT_SECRET,
        pow: null,
        apps: [webApp(), webApp({ id: OTHER_APP_ID, defaultAgentId: 'agent_other' }), webApp({ id: 'app_keymoved' })],
        manage: { dbPath: ':memory:', adminKeys: parseAdminKeys(`tenant_test:${ADMIN},tenant_rival:${RIVAL_ADMIN}`) },
      },
    });
  });
  after(() => server.close());

  test('create answers the secret once; list and get never show it again', async () => {
    const { key, apiKey } = await createKey({ name: 'backend', appId: APP_ID });
    assert.match(key, /^\S{32,}$/);
    assert.match(apiKey.id, /^sk_[0-9a-f]{16}$/);
    assert.deepEqual([apiKey.appId, apiKey.agentId, apiKey.name, apiKey.tenantId, apiKey.projectId], [APP_ID, 'agent_test', 'backend', 'tenant_test', 'project_test']);
    assert.ok(key.startsWith(apiKey.prefix) && apiKey.prefix.length < key.length);
    const listed = await manage('GET', KEYS_PATH);
    const listText = await listed.text();
    assert.equal(listed.status, 200);
    assert.ok(!listText.includes(key), 'the list never carries a secret');
    const list = JSON.parse(listText) as { data: KeyView[]; pagination: { total: number } };
    assert.ok(list.data.some((k) => k.id === apiKey.id));
    const one = await manage('GET', `${KEYS_PATH}/${apiKey.id}`);
    const oneText = await one.text();
    assert.ok(!oneText.includes(key));
    assert.equal((JSON.parse(oneText) as { data: KeyView }).data.id, apiKey.id);
    assert.ok(logs.every((line) => !line.includes(key)), 'the secret never reaches a log line');
  });

  test('a key chats from a server: Bearer alone, no Origin check, limited to its app and agent', async () => {
    const { key, apiKey } = await createKey({ name: 'chat backend', appId: APP_ID });
    const reply = await aiSdkChat(keyCaller(key), [userMessage('from the backend')], { chatId: 'conv_backend' });
    assert.ok(reply.text.includes(apiKey.id) && reply.text.includes('"from the backend"'), reply.text);
    // Any Origin, or none, is fine for a server-side key; its own app id header too.
    assert.equal((await aiSdkChat(keyCaller(key, { origin: 'https://anywhere.example', appId: APP_ID }), [userMessage('x')])).message.role, 'assistant');
    await expectProblem(await runCall(keyCaller(key, { appId: OTHER_APP_ID }), 'POST', '/run/api/chat', { messages: [{ role: 'user', content: 'x' }] }), 401, 'unauthorized');
    await expectProblem(await runCall(keyCaller(key, { headers: { 'x-inkeep-agent-id': 'agent_other' } }), 'POST', '/run/api/chat', { messages: [{ role: 'user', content: 'x' }] }), 403, 'forbidden');
    const ok = await runCall(keyCaller(key, { headers: { 'x-inkeep-agent-id': 'agent_test' } }), 'POST', '/run/api/chat', { stream: false, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(ok.status, 200);
  });

  test("a key's conversations are its own: listed for the key, invisible to end users and other keys", async () => {
    const { key } = await createKey({ name: 'history', appId: APP_ID });
    await aiSdkChat(keyCaller(key), [userMessage('key history')], { chatId: 'conv_keyhist' });
    const mine = (await (await runCall(keyCaller(key), 'GET', '/run/v1/conversations')).json()) as { data: Array<{ id: string }> };
    assert.deepEqual(mine.data.map((c) => c.id), ['conv_keyhist']);
    const other = await createKey({ name: 'other', appId: APP_ID });
    await expectProblem(await runCall(keyCaller(other.key), 'GET', '/run/v1/conversations/conv_keyhist'), 404, 'not_found');
    const visitor = { server, token: await sessionToken(server) };
    await expectProblem(await runCall(visitor, 'GET', '/run/v1/conversations/conv_keyhist'), 404, 'not_found');
  });

  test('a key with its own agent talks to that agent only', async () => {
    const { key } = await createKey({ name: 'agent b', appId: OTHER_APP_ID, agentId: 'agent_b' });
    const body = (await (await runCall(keyCaller(key), 'POST', '/run/v1/chat/completions', { stream: false, messages: [{ role: 'user', content: 'x' }] })).json()) as { model: string };
    assert.equal(body.model, 'agent_b');
    await expectProblem(await runCall(keyCaller(key, { headers: { 'x-inkeep-agent-id': 'agent_other' } }), 'POST', '/run/api/chat', { messages: [{ role: 'user', content: 'x' }] }), 403, 'forbidden');
  });

  test('revoked → 401 (and a second revoke → 404); expired → 401', async () => {
    const { key, apiKey } = await createKey({ name: 'short-lived', appId: APP_ID });
    assert.equal((await manage('DELETE', `${KEYS_PATH}/${apiKey.id}`)).status, 204);
    await expectProblem(await runCall(keyCaller(key), 'POST', '/run/api/chat', { messages: [{ role: 'user', content: 'x' }] }), 401, 'unauthorized');
    assert.equal((await manage('DELETE', `${KEYS_PATH}/${apiKey.id}`)).status, 404);
    assert.equal((await manage('GET', `${KEYS_PATH}/${apiKey.id}`)).status, 404);

    const expiring = await createKey({ name: 'expiring', appId: APP_ID, expiresAt: new Date(clock + 60_000).toISOString() });
    assert.equal((await runCall(keyCaller(expiring.key), 'GET', '/run/v1/conversations')).status, 200);
    clock += 120_000;
    await expectProblem(await runCall(keyCaller(expiring.key), 'GET', '/run/v1/conversations'), 401, 'unauthorized');
  });

  test('create validates its input: name, an app of this project, a future expiry', async () => {
    for (const body of [
      { appId: APP_ID },
      { name: '', appId: APP_ID },
      { name: 'x' },
      { name: 'x', appId: 'app_unknown0000000000000' },
      { name: 'x', appId: APP_ID, expiresAt: 'soon' },
      { name: 'x', appId: APP_ID, expiresAt: new Date(Date.now() - 1000).toISOString() },
    ]) {
      const res = await manage('POST', KEYS_PATH, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      await res.body?.cancel();
    }
  });

  test("the hosted body {name, agentId} makes a key for the app serving that agent; none or several → 400 saying what to send", async () => {
    const { key, apiKey } = await createKey({ name: 'hosted-shape', agentId: 'agent_other' });
    assert.deepEqual([apiKey.appId, apiKey.agentId], [OTHER_APP_ID, 'agent_other']);
    const reply = await aiSdkChat(keyCaller(key), [userMessage('hello from a hosted client')]);
    assert.match(reply.text, /\S/);
    for (const [body, field] of [
      [{ name: 'x', agentId: 'agent_nobody' }, 'agentId'],
      [{ name: 'x', agentId: 'agent_test' }, 'appId'], // two web apps serve it
      [{ name: 'x' }, 'appId'],
    ] as const) {
      const problem = await expectProblem(await manage('POST', KEYS_PATH, body), 400, 'bad_request');
      assert.ok(problem.detail.includes(`'${field}'`), problem.detail);
    }
    // An api app serving the agent is the one a server-to-server key is for.
    const created = await manage('POST', '/manage/tenants/tenant_test/projects/project_test/apps', { name: 'backend', type: 'api', defaultAgentId: 'agent_test', config: { type: 'api' } });
    assert.equal(created.status, 201);
    const apiApp = ((await created.json()) as { data: { app: { id: string } } }).data.app.id;
    assert.equal((await createKey({ name: 'to-api-app', agentId: 'agent_test' })).apiKey.appId, apiApp);
  });

  test("the manage rules hold: no admin key → 401, another tenant's admin key → 403, another tenant's keys are not visible", async () => {
    assert.equal((await fetch(`${server.url}${KEYS_PATH}`)).status, 401);
    assert.equal((await manage('GET', KEYS_PATH, undefined, RIVAL_ADMIN)).status, 403);
    const rivalList = await manage('GET', '/manage/tenants/tenant_rival/projects/project_test/api-keys', undefined, RIVAL_ADMIN);
    assert.deepEqual(((await rivalList.json()) as { data: unknown[] }).data, []);
    const { apiKey } = await createKey({ name: 'mine', appId: APP_ID });
    assert.equal((await manage('GET', `/manage/tenants/tenant_rival/projects/project_test/api-keys/${apiKey.id}`, undefined, RIVAL_ADMIN)).status, 404);
    assert.equal((await manage('DELETE', `/manage/tenants/tenant_rival/projects/project_test/api-keys/${apiKey.id}`, undefined, RIVAL_ADMIN)).status, 404);
  });

  test('a key stops working when its app is deleted, even if another tenant re-creates the id', async () => {
    const { key } = await createKey({ name: 'moving', appId: 'app_keymoved' });
    assert.equal((await runCall(keyCaller(key), 'GET', '/run/v1/conversations')).status, 200);
    assert.equal((await manage('DELETE', '/manage/tenants/tenant_test/projects/project_test/apps/app_keymoved')).status, 204);
    await expectProblem(await runCall(keyCaller(key), 'GET', '/run/v1/conversations'), 401, 'unauthorized');
    const recreated = await manage('POST', '/manage/tenants/tenant_rival/projects/project_test/apps', {
      id: 'app_keymoved',
      name: 'taken over',
      type: 'web_client',
      defaultAgentId: 'agent_test',
      config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true } },
    }, RIVAL_ADMIN);
    // Whether another tenant may take a deleted id over is the app store's rule; either way the key stays dead.
    assert.ok([201, 409].includes(recreated.status), await recreated.clone().text());
    await expectProblem(await runCall(keyCaller(key), 'GET', '/run/v1/conversations'), 401, 'unauthorized');
  });
});
