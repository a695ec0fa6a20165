import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { APICallError } from 'ai';
import { SignJWT } from 'jose';
import { MemoryAppRegistry, type RunningServer } from '../../../server/index.js';
import { MAX_REPLY_CHUNKS } from '../../../server/chat/chat-reply.js';
import { APP_ID, JWT_SECRET, OTHER_APP_ID, decodeJwt, expectProblem, startTestServer, webApp } from '../helpers.js';
import { aiSdkChat, runCall, sessionToken, userMessage, type ChatCaller } from './chat-client.js';

/** Rejection of an AI SDK call, as the SDK reports a non-2xx answer. */
async function sdkFailure(promise: Promise<unknown>): Promise<{ status: number; body: { code: string; detail: string } }> {
  const error = await promise.then(() => assert.fail('expected the call to fail'), (e: unknown) => e);
  assert.ok(APICallError.isInstance(error), String(error));
  return { status: error.statusCode ?? 0, body: JSON.parse(error.responseBody ?? '{}') as { code: string; detail: string } };
}

describe('POST /run/api/chat with the AI SDK client', () => {
  let server: RunningServer;
  let caller: ChatCaller;
  let anonId: string;
  // The test's own registry, so it can change an app behind the server's back.
  const apps = [webApp(), webApp({ id: OTHER_APP_ID }), webApp({ id: 'app_gone' }), webApp({ id: 'app_moved' })];
  const registry = new MemoryAppRegistry(apps);

  before(async () => {
    // Every case here chats from one address with one token in quick succession; the budgets
    // have their own tests (test/security/chat-fairness.test.ts).
    const roomy = { burst: 1000, perMinute: 1000 };
    server = await startTestServer({ apps, registry, chat: { rateLimits: { chatPerIdentity: roomy, chatPerAddress: roomy } } });
    const token = await sessionToken(server);
    caller = { server, token };
    anonId = String(decodeJwt(token).payload.sub);
  });
  after(() => server.close());

  test('DefaultChatTransport + readUIMessageStream: the reply greets the caller, quotes the last message, counts the conversation', async () => {
    const history = [userMessage('first question'), { id: 'a1', role: 'assistant' as const, parts: [{ type: 'text' as const, text: 'an answer' }] }, userMessage('Where is "ink"?')];
    const reply = await aiSdkChat(caller, history);
    assert.equal(reply.message.role, 'assistant');
    assert.ok(reply.text.includes(anonId), reply.text);
    assert.ok(reply.text.includes('You said: "Where is "ink"?"'), reply.text);
    assert.ok(!reply.text.includes('first question'));
    assert.ok(reply.text.endsWith('This conversation holds 2 messages.'), reply.text);
    const types = reply.chunks.map((c) => c.type);
    assert.deepEqual([types[0], types[1], ...types.slice(-2)], ['start', 'text-start', 'text-end', 'finish']);
    const deltas = types.filter((t) => t === 'text-delta').length;
    assert.ok(deltas >= 3 && deltas <= MAX_REPLY_CHUNKS, `a handful of deltas, got ${deltas}`);
    const start = reply.chunks[0] as { messageId?: string };
    assert.equal(reply.message.id, start.messageId, 'the message id is the stored reply id');
  });

  test('the SSE framing: event-stream headers (the SDK header and the hosted one), frames ending with data: [DONE]', async () => {
    const res = await runCall(caller, 'POST', '/run/api/chat', { messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(res.headers.get('x-vercel-ai-ui-message-stream'), 'v1');
    assert.equal(res.headers.get('x-vercel-ai-data-stream'), 'v2');
    assert.match(res.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
    const text = await res.text();
    assert.ok(text.startsWith('data: {"type":"start"'), text.slice(0, 80));
    assert.ok(text.endsWith('data: [DONE]\n\n'), text.slice(-40));
    assert.ok(!/^event:/m.test(text), 'no named events (the old delta/done format is gone)');
  });

  test("the AI SDK's chat id names the conversation: a second turn of the same chat appends to it", async () => {
    const chatId = 'chat-appends-0001';
    const first = await aiSdkChat(caller, [userMessage('one')], { chatId });
    assert.ok(first.text.endsWith('holds 2 messages.'));
    const second = await aiSdkChat(caller, [userMessage('one'), first.message, userMessage('two')], { chatId });
    assert.ok(second.text.includes('You said: "two"') && second.text.endsWith('holds 4 messages.'), second.text);
    const res = await runCall(caller, 'GET', `/run/v1/conversations/${chatId}?format=vercel`);
    const body = (await res.json()) as { data: { messages: Array<{ id: string; role: string; content: string }> } };
    assert.deepEqual(body.data.messages.map((m) => [m.role, m.content.slice(0, 20)]), [
      ['user', 'one'],
      ['assistant', first.text.slice(0, 20)],
      ['user', 'two'],
      ['assistant', second.text.slice(0, 20)],
    ]);
    assert.equal(body.data.messages[3]?.id, second.message.id);
  });

  test("the AI SDK's regenerate trigger appends a new answer to the stored question, not the question again", async () => {
    const chatId = 'chat-regenerate-01';
    const question = userMessage('say it again');
    await aiSdkChat(caller, [question], { chatId });
    const again = await aiSdkChat(caller, [question], { chatId, trigger: 'regenerate-message' });
    assert.ok(again.text.endsWith('holds 3 messages.'), again.text);
    const res = await runCall(caller, 'GET', `/run/v1/conversations/${chatId}`);
    const body = (await res.json()) as { data: { messages: Array<{ role: string }> } };
    assert.deepEqual(body.data.messages.map((m) => m.role), ['user', 'assistant', 'assistant']);
  });

  test("the hosted widget's body (only the last message, its own conv_ id, extra keys) is accepted and appended", async () => {
    const body = (text: string) => ({
      requestContext: {},
      conversationId: 'conv_widget0001',
      id: 'sdkchatid',
      messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text }] }],
      trigger: 'submit-message',
      messageId: undefined,
    });
    for (const text of ['hello', 'again']) {
      const res = await runCall(caller, 'POST', '/run/api/chat', body(text));
      assert.equal(res.status, 200);
      await res.text();
    }
    const res = await runCall(caller, 'GET', '/run/v1/conversations/conv_widget0001');
    const stored = (await res.json()) as { data: { messages: unknown[] } };
    assert.equal(stored.data.messages.length, 4);
  });

  test('a 16 KiB message still streams in a bounded handful of byte-sized chunks, never splitting a character', async () => {
    const long = 'é'.repeat(4000) + '🙂'.repeat(2000);
    const reply = await aiSdkChat(caller, [userMessage(long)]);
    const deltas = reply.chunks.filter((c) => c.type === 'text-delta') as Array<{ delta: string }>;
    assert.ok(deltas.length <= MAX_REPLY_CHUNKS, `${deltas.length} chunks`);
    for (const { delta } of deltas) assert.ok(!/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/.test(delta), 'no split surrogate pair');
    const sizes = deltas.map(({ delta }) => Buffer.byteLength(delta));
    assert.ok(Math.max(...sizes) - Math.min(...sizes.slice(0, -1)) <= 4, `about equal byte sizes: ${sizes.join(', ')}`);
    assert.ok(reply.text.includes(long));
  });

  test('stream: false answers one chat.completion object', async () => {
    const res = await runCall(caller, 'POST', '/run/api/chat', { stream: false, messages: [{ role: 'user', content: 'json please' }] });
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, any>;
    assert.equal(body.object, 'chat.completion');
    assert.match(body.id, /^chatcmpl-/);
    assert.equal(typeof body.created, 'number');
    assert.equal(body.model, 'agent_test');
    assert.equal(body.choices.length, 1);
    assert.equal(body.choices[0].index, 0);
    assert.equal(body.choices[0].finish_reason, 'stop');
    assert.equal(body.choices[0].message.role, 'assistant');
    assert.ok(body.choices[0].message.content.includes('You said: "json please"'));
    assert.deepEqual(Object.keys(body.usage).sort(), ['completion_tokens', 'prompt_tokens', 'total_tokens']);
  });

  test('the explicit default agent is accepted; another agent → 403', async () => {
    assert.equal((await aiSdkChat({ ...caller, headers: { 'x-inkeep-agent-id': 'agent_test' } }, [userMessage('x')])).message.role, 'assistant');
    const failure = await sdkFailure(aiSdkChat({ ...caller, headers: { 'x-inkeep-agent-id': 'agent_other' } }, [userMessage('x')]));
    assert.equal(failure.status, 403);
    assert.equal(failure.body.code, 'forbidden');
  });

  test('401 for a missing, malformed, forged or expired token, or a missing app id', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = decodeJwt(caller.token).payload;
    const expired = await new SignJWT({ tid: claims.tid, pid: claims.pid, app: APP_ID, type: 'anonymous' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(anonId)
      .setIssuer('inkeep')
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 10)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const tampered = caller.token.slice(0, -4) + (caller.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const body = { messages: [{ role: 'user', content: 'hi' }] };
    const cases: Array<Record<string, string | undefined>> = [
      { authorization: undefined },
      { authorization: caller.token },
      { authorization: 'Bearer not.a.jwt' },
      { authorization: `Bearer ${tampered}` },
      { authorization: `Bearer ${expired}` },
      { authorization: 'Bearer not-a-key' },
      { 'x-inkeep-app-id': undefined },
      { 'x-inkeep-app-id': OTHER_APP_ID },
    ];
    for (const change of cases) {
      const headers: Record<string, string> = { authorization: `Bearer ${caller.token}`, 'x-inkeep-app-id': APP_ID, origin: 'http://localhost:5173', 'content-type': 'application/json' };
      for (const [k, v] of Object.entries(change)) {
        if (v === undefined) delete headers[k];
        else headers[k] = v;
      }
      const res = await fetch(`${server.url}/run/api/chat`, { method: 'POST', headers, body: JSON.stringify(body) });
      await expectProblem(res, 401, 'unauthorized');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    }
  });

  test('401 when the app was disabled after the token was issued', async () => {
    const goneToken = await sessionToken(server, 'app_gone');
    await registry.put(webApp({ id: 'app_gone', enabled: false }));
    const failure = await sdkFailure(aiSdkChat({ server, token: goneToken, appId: 'app_gone' }, [userMessage('x')]));
    assert.equal(failure.status, 401);
  });

  test("401 when the app id now belongs to another tenant or project than the token's (finding 8)", async () => {
    const oldToken = await sessionToken(server, 'app_moved');
    await registry.put(webApp({ id: 'app_moved', tenantId: 'tenant_new' }));
    const failure = await sdkFailure(aiSdkChat({ server, token: oldToken, appId: 'app_moved' }, [userMessage('x')]));
    assert.equal(failure.status, 401);
    assert.equal(failure.body.code, 'unauthorized');
    await registry.put(webApp({ id: 'app_moved', projectId: 'project_new' }));
    assert.equal((await sdkFailure(aiSdkChat({ server, token: oldToken, appId: 'app_moved' }, [userMessage('x')]))).status, 401);
  });

  test('403 for a disallowed or missing origin', async () => {
    for (const origin of ['https://evil.test', null]) {
      const res = await runCall({ ...caller, origin }, 'POST', '/run/api/chat', { messages: [{ role: 'user', content: 'x' }] });
      const body = await expectProblem(res, 403, 'forbidden');
      assert.equal(body.detail, 'Origin not allowed');
    }
  });

  test('400 for a body that is not JSON, 422 for one of the wrong shape', async () => {
    assert.equal((await expectProblem(await runCall(caller, 'POST', '/run/api/chat', '{nope'), 400, 'bad_request')).detail, 'Request body must be JSON.');
    assert.equal((await expectProblem(await runCall(caller, 'POST', '/run/api/chat', '[1]'), 400, 'bad_request')).detail, 'Request body must be a JSON object.');
    for (const body of [
      {},
      { messages: [] },
      { messages: 'hi' },
      { messages: [{ role: 'robot', content: 'x' }] },
      { messages: [{ role: 'user', content: 42 }] },
      { messages: [{ role: 'user' }] },
      { messages: [{ role: 'user', parts: [{ type: 'text', text: 7 }] }] },
      { messages: [{ role: 'user', parts: [{ text: 'no type' }] }] },
      { messages: [{ role: 'assistant', content: 'no user message' }] },
      { messages: [{ role: 'user', content: 'x' }], conversationId: 'has spaces' },
      { messages: [{ role: 'user', content: 'x' }], conversationId: 'c'.repeat(129) },
      { messages: [{ role: 'user', content: 'x' }], stream: 'yes' },
    ]) {
      await expectProblem(await runCall(caller, 'POST', '/run/api/chat', body), 422, 'unprocessable_entity');
    }
  });
});

describe('chat bounds (documented caps → 413/422 problem+json)', () => {
  let server: RunningServer;
  let caller: ChatCaller;

  before(async () => {
    server = await startTestServer({ chat: { limits: { maxMessageBytes: 64, maxMessagesPerConversation: 4, maxConversationsPerOwner: 2 } } });
    caller = { server, token: await sessionToken(server) };
  });
  after(() => server.close());

  test('a message over maxMessageBytes → 413, nothing stored', async () => {
    const res = await runCall(caller, 'POST', '/run/api/chat', { conversationId: 'conv_big', messages: [{ role: 'user', content: 'x'.repeat(65) }] });
    await expectProblem(res, 413, 'payload_too_large');
    await expectProblem(await runCall(caller, 'GET', '/run/v1/conversations/conv_big'), 404, 'not_found');
    assert.equal((await aiSdkChat(caller, [userMessage('x'.repeat(64))], { chatId: 'conv_fits' })).message.role, 'assistant');
  });

  test('a conversation holds at most maxMessagesPerConversation messages (each turn stores two) → 422', async () => {
    await aiSdkChat(caller, [userMessage('one')], { chatId: 'conv_fits' });
    const res = await runCall(caller, 'POST', '/run/api/chat', { conversationId: 'conv_fits', messages: [{ role: 'user', content: 'three' }] });
    const body = await expectProblem(res, 422, 'unprocessable_entity');
    assert.match(body.detail, /at most 4 messages/);
  });

  test('an identity holds at most maxConversationsPerOwner conversations → 422; another identity is not affected', async () => {
    await aiSdkChat(caller, [userMessage('second conversation')], { chatId: 'conv_two' });
    const res = await runCall(caller, 'POST', '/run/api/chat', { conversationId: 'conv_three', messages: [{ role: 'user', content: 'x' }] });
    assert.match((await expectProblem(res, 422, 'unprocessable_entity')).detail, /at most 2 conversations/);
    const stranger = { server, token: await sessionToken(server) };
    assert.equal((await aiSdkChat(stranger, [userMessage('mine')], { chatId: 'conv_stranger' })).message.role, 'assistant');
  });

  test("another identity's conversation id → 404, never a merge", async () => {
    const stranger = { server, token: await sessionToken(server) };
    const res = await runCall(stranger, 'POST', '/run/api/chat', { conversationId: 'conv_two', messages: [{ role: 'user', content: 'let me in' }] });
    assert.equal((await expectProblem(res, 404, 'not_found')).detail, 'Conversation not found');
    const mine = (await (await runCall(caller, 'GET', '/run/v1/conversations/conv_two')).json()) as { data: { messages: Array<{ content: string }> } };
    assert.ok(mine.data.messages.every((m) => !m.content.includes('let me in')));
  });
});
