import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonSchema, parseJsonEventStream } from 'ai';
import type { RunningServer } from '../../../server/index.js';
import { MAX_REPLY_CHUNKS } from '../../../server/chat/chat-reply.js';
import { expectProblem, startTestServer } from '../helpers.js';
import { runCall, sessionToken, type ChatCaller } from './chat-client.js';

interface CompletionChunk {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{ index: number; delta: { role?: string; content?: string }; finish_reason: string | null }>;
}

/** The SSE body's JSON events, read by the `ai` package's own event-stream parser. */
async function completionChunks(res: Response): Promise<CompletionChunk[]> {
  const chunks: CompletionChunk[] = [];
  const parsed = parseJsonEventStream({ stream: res.body!, schema: jsonSchema<CompletionChunk>({ type: 'object' }) });
  for await (const result of parsed) {
    assert.ok(result.success, 'every event is JSON');
    chunks.push(result.value);
  }
  return chunks;
}

describe('POST /run/v1/chat/completions (OpenAI-compatible)', () => {
  let server: RunningServer;
  let caller: ChatCaller;

  before(async () => {
    server = await startTestServer();
    caller = { server, token: await sessionToken(server) };
  });
  after(() => server.close());

  test('streams chat.completion.chunk events: the role, content pieces, finish_reason stop, then [DONE]', async () => {
    const res = await runCall(caller, 'POST', '/run/v1/chat/completions', {
      model: 'anything',
      conversationId: 'conv_openai_1',
      messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'What is ink?' }],
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const raw = await res.clone().text();
    assert.ok(raw.endsWith('data: [DONE]\n\n'), raw.slice(-40));
    const chunks = await completionChunks(res);
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0]?.id && /^chatcmpl-/.test(c.id)));
    assert.ok(chunks.every((c) => c.model === 'agent_test' && typeof c.created === 'number' && c.choices[0]?.index === 0));
    assert.deepEqual(chunks[0]?.choices[0]?.delta, { role: 'assistant' });
    const last = chunks.at(-1)?.choices[0];
    assert.deepEqual([last?.delta, last?.finish_reason], [{}, 'stop']);
    const pieces = chunks.slice(1, -1).map((c) => c.choices[0]?.delta.content ?? '');
    assert.ok(pieces.length >= 1 && pieces.length <= MAX_REPLY_CHUNKS, `${pieces.length} content pieces`);
    assert.ok(chunks.slice(0, -1).every((c) => c.choices[0]?.finish_reason === null));
    assert.ok(pieces.join('').includes('You said: "What is ink?"'), pieces.join(''));
  });

  test('shares the conversation with /run/api/chat; content arrays of text parts are read', async () => {
    const res = await runCall(caller, 'POST', '/run/v1/chat/completions', {
      conversationId: 'conv_openai_1',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'second ' }, { type: 'text', text: 'turn' }] }],
    });
    const text = (await completionChunks(res)).map((c) => c.choices[0]?.delta.content ?? '').join('');
    assert.ok(text.includes('You said: "second turn"') && text.endsWith('holds 4 messages.'), text);
  });

  test('stream: false → one chat.completion object', async () => {
    const res = await runCall(caller, 'POST', '/run/v1/chat/completions', { stream: false, messages: [{ role: 'user', content: 'plain' }] });
    const body = (await res.json()) as { object: string; choices: Array<{ message: { content: string }; finish_reason: string }> };
    assert.equal(body.object, 'chat.completion');
    assert.ok(body.choices[0]?.message.content.includes('"plain"'));
  });

  test('the same caller rules: 401 without a token, 403 from a foreign origin, 422 for a bad body', async () => {
    await expectProblem(await runCall({ ...caller, token: 'nope' }, 'POST', '/run/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] }), 401, 'unauthorized');
    await expectProblem(await runCall({ ...caller, origin: 'https://evil.test' }, 'POST', '/run/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] }), 403, 'forbidden');
    await expectProblem(await runCall(caller, 'POST', '/run/v1/chat/completions', { messages: [{ role: 'tool', content: 'x' }] }), 422, 'unprocessable_entity');
  });
});
