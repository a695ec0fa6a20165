import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '../../../server/index.js';
import { APP_ID, OTHER_APP_ID, decodeJwt, expectProblem, startTestServer, webApp } from '../helpers.js';
import { aiSdkChat, runCall, sessionToken, userMessage, type ChatCaller } from '../chat/chat-client.js';

interface Listing {
  data: Array<{ id: string; agentId: string | null; title: string; createdAt: string; updatedAt: string }>;
  pagination: { page: number; limit: number; total: number; pages: number };
}

interface Conversation {
  data: {
    id: string;
    agentId: string | null;
    title: string;
    messages: Array<{ id: string; role: string; content: string; parts: Array<{ type: string; text?: string }>; createdAt: string }>;
  };
  pagination: Listing['pagination'];
}

const THIRD_APP_ID = 'app_testapp000000000000003';

describe('conversation history per tenant, project, app and identity', () => {
  let server: RunningServer;
  let alice: ChatCaller;
  let bob: ChatCaller;

  before(async () => {
    server = await startTestServer({
      apps: [
        webApp(),
        webApp({ id: OTHER_APP_ID, defaultAgentId: 'agent_other' }),
        webApp({ id: THIRD_APP_ID, tenantId: 'tenant_rival', projectId: 'project_rival', defaultAgentId: 'agent_rival' }),
      ],
    });
    alice = { server, token: await sessionToken(server) };
    bob = { server, token: await sessionToken(server) };
    await aiSdkChat(alice, [userMessage('Alice asks about the weather')], { chatId: 'conv_alice_1' });
    await aiSdkChat(alice, [userMessage('x'.repeat(150))], { chatId: 'conv_alice_2' });
    await aiSdkChat(bob, [userMessage('Bob says hi')], { chatId: 'conv_bob_1' });
  });
  after(() => server.close());

  test('GET /run/v1/conversations lists only the caller\'s own, newest first, with titles', async () => {
    const res = await runCall(alice, 'GET', '/run/v1/conversations');
    assert.equal(res.status, 200);
    const body = (await res.json()) as Listing;
    assert.deepEqual(body.data.map((c) => c.id).sort(), ['conv_alice_1', 'conv_alice_2']);
    const updated = body.data.map((c) => c.updatedAt);
    assert.deepEqual(updated, [...updated].sort().reverse(), 'most recently updated first');
    assert.deepEqual(body.pagination, { page: 1, limit: 20, total: 2, pages: 1 });
    const byId = new Map(body.data.map((c) => [c.id, c]));
    assert.equal(byId.get('conv_alice_1')?.title, 'Alice asks about the weather');
    assert.equal(byId.get('conv_alice_2')?.title, `${'x'.repeat(100)}...`, 'a long first message is cut to 100 characters plus "..."');
    assert.equal(body.data[0]?.agentId, 'agent_test');
    assert.deepEqual(Object.keys(body.data[0] ?? {}).sort(), ['agentId', 'createdAt', 'id', 'title', 'updatedAt']);
    const bobs = (await (await runCall(bob, 'GET', '/run/v1/conversations')).json()) as Listing;
    assert.deepEqual(bobs.data.map((c) => c.id), ['conv_bob_1']);
  });

  test('page and limit (1…200) paginate; out-of-range values → 400', async () => {
    const page1 = (await (await runCall(alice, 'GET', '/run/v1/conversations?page=1&limit=1')).json()) as Listing;
    const page2 = (await (await runCall(alice, 'GET', '/run/v1/conversations?page=2&limit=1')).json()) as Listing;
    assert.deepEqual([...page1.data, ...page2.data].map((c) => c.id).sort(), ['conv_alice_1', 'conv_alice_2']);
    assert.deepEqual(page2.pagination, { page: 2, limit: 1, total: 2, pages: 2 });
    for (const query of ['limit=0', 'limit=201', 'page=0', 'page=x', 'limit=-1']) {
      await expectProblem(await runCall(alice, 'GET', `/run/v1/conversations?${query}`), 400, 'bad_request');
    }
  });

  test('GET /run/v1/conversations/{id}?format=vercel: the messages with text content and AI SDK parts', async () => {
    const res = await runCall(alice, 'GET', '/run/v1/conversations/conv_alice_1?format=vercel');
    assert.equal(res.status, 200);
    const body = (await res.json()) as Conversation;
    assert.equal(body.data.id, 'conv_alice_1');
    assert.equal(body.data.title, 'Alice asks about the weather');
    assert.deepEqual(body.data.messages.map((m) => m.role), ['user', 'assistant']);
    const [question, answer] = body.data.messages;
    assert.equal(question?.content, 'Alice asks about the weather');
    assert.deepEqual(question?.parts, [{ type: 'text', text: 'Alice asks about the weather' }]);
    assert.ok(answer?.content.includes('You said: "Alice asks about the weather"'));
    assert.deepEqual(answer?.parts, [{ type: 'text', text: answer?.content }]);
    assert.ok(!Number.isNaN(Date.parse(question?.createdAt ?? '')));
    assert.deepEqual(body.pagination, { page: 1, limit: 200, total: 2, pages: 1 });
    const paged = (await (await runCall(alice, 'GET', '/run/v1/conversations/conv_alice_1?page=2&limit=1')).json()) as Conversation;
    assert.deepEqual(paged.data.messages.map((m) => m.role), ['assistant']);
  });

  test('format=openai → 400 "not available yet"; an unknown format → 400', async () => {
    const body = await expectProblem(await runCall(alice, 'GET', '/run/v1/conversations/conv_alice_1?format=openai'), 400, 'bad_request');
    assert.match(body.detail, /not available yet/);
    await expectProblem(await runCall(alice, 'GET', '/run/v1/conversations/conv_alice_1?format=xml'), 400, 'bad_request');
  });

  test("someone else's conversation and an unknown one are the same 404", async () => {
    for (const [caller, id] of [[bob, 'conv_alice_1'], [alice, 'conv_bob_1'], [alice, 'conv_nobody']] as const) {
      const body = await expectProblem(await runCall(caller, 'GET', `/run/v1/conversations/${id}`), 404, 'not_found');
      assert.equal(body.detail, 'Conversation not found');
    }
  });

  test('no token → 401 on every conversation route', async () => {
    for (const [method, path] of [['GET', '/run/v1/conversations'], ['GET', '/run/v1/conversations/conv_alice_1'], ['POST', '/run/v1/feedback'], ['POST', '/run/v1/events']]) {
      const res = await fetch(`${server.url}${path}`, { method, headers: { origin: 'http://localhost:5173', 'x-inkeep-app-id': APP_ID } });
      await expectProblem(res, 401, 'unauthorized');
    }
  });

  // @inkeep/agents-ui renews its session and resends only when a 401's detail contains one of
  // these texts (its parseAuthError), on history, feedback and events as on chat.
  test("every run route's 401 carries the hosted texts the widget renews on", async () => {
    // A real token of this app with its signature replaced: what an expired or forged token meets.
    const [header, payload] = (await sessionToken(server)).split('.');
    const tampered = `${header}.${payload}.${'A'.repeat(43)}`;
    const routes = [
      ['POST', '/run/api/chat', { messages: [userMessage('hi')] }],
      ['GET', '/run/v1/conversations', undefined],
      ['GET', '/run/v1/conversations/conv_alice_1', undefined],
      ['POST', '/run/v1/feedback', { conversationId: 'conv_alice_1', type: 'positive' }],
      ['POST', '/run/v1/events', { type: 'opened' }],
    ] as const;
    for (const [method, path, body] of routes) {
      const headers = { origin: 'http://localhost:5173', 'x-inkeep-app-id': APP_ID, 'content-type': 'application/json' };
      const init = { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) };
      const missing = await expectProblem(await fetch(`${server.url}${path}`, init), 401, 'unauthorized');
      assert.match(String(missing.detail), /Bearer token required/, `${method} ${path} without a token`);
      const bad = await fetch(`${server.url}${path}`, { ...init, headers: { ...headers, authorization: `Bearer ${tampered}` } });
      const invalid = await expectProblem(bad, 401, 'unauthorized');
      assert.match(String(invalid.detail), /Invalid end-user JWT/, `${method} ${path} with a bad token`);
    }
  });

  test('POST /run/v1/events naming a conversation or message the caller does not hold → 400 with a reason', async () => {
    const history = (await (await runCall(alice, 'GET', '/run/v1/conversations/conv_alice_1')).json()) as Conversation;
    const messageId = history.data.messages[0]?.id ?? '';
    const ok = await runCall(alice, 'POST', '/run/v1/events', { type: 'message_copied', conversationId: 'conv_alice_1', messageId });
    assert.equal(ok.status, 201);
    for (const [caller, body, reason] of [
      [alice, { type: 'opened', conversationId: 'conv_nobody' }, 'unknown_conversation'],
      [bob, { type: 'opened', conversationId: 'conv_alice_1' }, 'unknown_conversation'],
      [alice, { type: 'opened', conversationId: 'conv_alice_1', messageId: 'msg_nobody' }, 'unknown_message'],
      [alice, { type: 'opened', messageId }, 'unknown_message'],
    ] as const) {
      await expectProblem(await runCall(caller, 'POST', '/run/v1/events', body), 400, 'bad_request', { reason });
    }
  });

  test('a returning visitor (refreshed token, same anon_) sees the history; a new identity starts empty', async () => {
    const refreshed = await sessionToken(server, APP_ID, alice.token);
    assert.equal(decodeJwt(refreshed).payload.sub, decodeJwt(alice.token).payload.sub);
    const again = (await (await runCall({ server, token: refreshed }, 'GET', '/run/v1/conversations')).json()) as Listing;
    assert.equal(again.pagination.total, 2);
    const stranger = (await (await runCall({ server, token: await sessionToken(server) }, 'GET', '/run/v1/conversations')).json()) as Listing;
    assert.deepEqual(stranger.data, []);
  });

  test("another app of the same project, and an app of another tenant, never see this app's conversations", async () => {
    const sameProject = { server, token: await sessionToken(server, OTHER_APP_ID), appId: OTHER_APP_ID };
    const rival = { server, token: await sessionToken(server, THIRD_APP_ID), appId: THIRD_APP_ID };
    for (const caller of [sameProject, rival]) {
      const listing = (await (await runCall(caller, 'GET', '/run/v1/conversations')).json()) as Listing;
      assert.deepEqual(listing.data, []);
      await expectProblem(await runCall(caller, 'GET', '/run/v1/conversations/conv_alice_1'), 404, 'not_found');
      // Appending to Alice's id from another app or tenant is refused, never merged.
      await expectProblem(await runCall(caller, 'POST', '/run/api/chat', { conversationId: 'conv_alice_1', messages: [{ role: 'user', content: 'x' }] }), 404, 'not_found');
    }
    await aiSdkChat(rival, [userMessage('rival chat')], { chatId: 'conv_rival_1' });
    const rivals = (await (await runCall(rival, 'GET', '/run/v1/conversations')).json()) as Listing;
    assert.deepEqual(rivals.data.map((c) => [c.id, c.agentId]), [['conv_rival_1', 'agent_rival']]);
    // Alice's token is refused on the other apps outright.
    await expectProblem(await runCall({ ...alice, appId: THIRD_APP_ID }, 'GET', '/run/v1/conversations'), 401, 'unauthorized');
  });

  test('POST /run/v1/feedback: 201 on one\'s own conversation; someone else\'s → 404; bad input → 400', async () => {
    const history = (await (await runCall(alice, 'GET', '/run/v1/conversations/conv_alice_1')).json()) as Conversation;
    const messageId = history.data.messages[1]?.id;
    const res = await runCall(alice, 'POST', '/run/v1/feedback', { conversationId: 'conv_alice_1', messageId, type: 'positive', details: { reason: 'clear' } });
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { data: { conversationId: 'conv_alice_1', messageId, type: 'positive' } });
    assert.equal((await runCall(alice, 'POST', '/run/v1/feedback', { conversationId: 'conv_alice_1', type: 'negative' })).status, 201);
    await expectProblem(await runCall(bob, 'POST', '/run/v1/feedback', { conversationId: 'conv_alice_1', type: 'negative' }), 404, 'not_found');
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20; i++) deep = { deep };
    for (const body of [
      {},
      { conversationId: 'conv_alice_1' },
      { conversationId: 'conv_alice_1', type: 'meh' },
      { conversationId: 'conv alice', type: 'positive' },
      { conversationId: 'conv_alice_1', type: 'positive', details: 'x'.repeat(5000) },
      { conversationId: 'conv_alice_1', type: 'positive', details: deep },
    ]) {
      await expectProblem(await runCall(alice, 'POST', '/run/v1/feedback', body), 400, 'bad_request');
    }
    await expectProblem(await runCall(alice, 'POST', '/run/v1/feedback', '[not json'), 400, 'bad_request');
  });

  test('POST /run/v1/events: 201 for a named event; bad or oversized input → 400', async () => {
    const res = await runCall(alice, 'POST', '/run/v1/events', { type: 'chat_conversation_changed', conversationId: 'conv_alice_1', properties: { from: '' } });
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { data: { type: 'chat_conversation_changed', conversationId: 'conv_alice_1', messageId: null } });
    for (const body of [{}, { type: '' }, { type: 'a b' }, { type: 'ok', properties: { big: 'x'.repeat(5000) } }]) {
      await expectProblem(await runCall(alice, 'POST', '/run/v1/events', body), 400, 'bad_request');
    }
  });
});
