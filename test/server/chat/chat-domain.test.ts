import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { tokenMatchesApp } from '../../../server/auth/caller.js';
import { titleFrom } from '../../../server/chat/chat-exchange.js';
import { DEFAULT_CHAT_LIMITS } from '../../../server/chat/chat-limits.js';
import { MAX_REPLY_CHUNKS, chunkByBytes } from '../../../server/chat/chat-reply.js';
import { parseChatRequest } from '../../../server/chat/chat-request.js';
import { ServerError } from '../../../server/core/errors.js';
import { webApp } from '../helpers.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('chunkByBytes', () => {
  test('any text: at most MAX_REPLY_CHUNKS pieces that join back to it, none splitting a character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), (text) => {
        const chunks = chunkByBytes(text);
        assert.ok(chunks.length <= MAX_REPLY_CHUNKS);
        assert.equal(chunks.join(''), text);
        for (const chunk of chunks) assert.ok(chunk.length > 0 && !LONE_SURROGATE.test(chunk), JSON.stringify(chunk));
      }),
      { numRuns: 300 },
    );
  });

  test('long texts come in pieces of about equal byte size; short ones still stream in a few', () => {
    const sizes = chunkByBytes('x'.repeat(16_000)).map((c) => Buffer.byteLength(c));
    assert.equal(sizes.length, MAX_REPLY_CHUNKS);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, sizes.join(','));
    assert.equal(chunkByBytes('Hello anon_x! You said: "hi".').length, 2);
    assert.deepEqual(chunkByBytes(''), []);
  });
});

describe('titleFrom', () => {
  test('the first message, cut to 100 characters plus "..."', () => {
    assert.equal(titleFrom('  short  '), 'short');
    assert.equal(titleFrom('a'.repeat(100)), 'a'.repeat(100));
    assert.equal(titleFrom('a'.repeat(101)), `${'a'.repeat(100)}...`);
    assert.equal(titleFrom('🙂'.repeat(101)), `${'🙂'.repeat(100)}...`, 'never half a character');
  });
});

describe('parseChatRequest', () => {
  const parse = (body: unknown) => parseChatRequest(JSON.stringify(body), DEFAULT_CHAT_LIMITS);

  test('reads content strings, UI message parts (text only) and OpenAI content arrays', () => {
    assert.equal(parse({ messages: [{ role: 'user', content: 'plain' }] }).userText, 'plain');
    const parts = parse({ messages: [{ role: 'user', parts: [{ type: 'step-start' }, { type: 'text', text: 'a' }, { type: 'file', url: 'x' }, { type: 'text', text: 'b' }] }] });
    assert.equal(parts.userText, 'ab');
    assert.deepEqual(parts.userParts, [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }]);
    assert.equal(parse({ messages: [{ role: 'user', content: [{ type: 'text', text: 'open' }, { type: 'text', text: 'ai' }] }] }).userText, 'openai');
  });

  test('conversationId wins over the AI SDK chat id; stream defaults to true; regenerate is recognised', () => {
    const messages = [{ role: 'user', content: 'x' }];
    assert.equal(parse({ messages, conversationId: 'conv_a', id: 'chat_b' }).conversationId, 'conv_a');
    assert.equal(parse({ messages, id: 'chat_b' }).conversationId, 'chat_b');
    assert.equal(parse({ messages }).conversationId, undefined);
    assert.equal(parse({ messages }).stream, true);
    assert.equal(parse({ messages, stream: false }).stream, false);
    assert.equal(parse({ messages, trigger: 'regenerate-message' }).regenerate, true);
    assert.equal(parse({ messages, trigger: 'submit-message' }).regenerate, false);
  });

  test('the message cap counts UTF-8 bytes (413), not characters', () => {
    const limits = { ...DEFAULT_CHAT_LIMITS, maxMessageBytes: 8 };
    assert.equal(parseChatRequest(JSON.stringify({ messages: [{ role: 'user', content: 'éééé' }] }), limits).userText, 'éééé');
    assert.throws(
      () => parseChatRequest(JSON.stringify({ messages: [{ role: 'user', content: 'ééééé' }] }), limits),
      (error: unknown) => error instanceof ServerError && error.code === 'payload_too_large',
    );
  });
});

describe('tokenMatchesApp', () => {
  const claims = { sub: 'anon_x', iss: 'inkeep' as const, iat: 0, exp: 1, tid: 'tenant_test', pid: 'project_test', app: 'app_1', type: 'anonymous' as const };
  test("only a token of the app's current tenant and project", () => {
    assert.equal(tokenMatchesApp(claims, webApp({ id: 'app_1' })), true);
    assert.equal(tokenMatchesApp(claims, webApp({ id: 'app_2' })), false);
    assert.equal(tokenMatchesApp(claims, webApp({ id: 'app_1', tenantId: 'tenant_other' })), false);
    assert.equal(tokenMatchesApp(claims, webApp({ id: 'app_1', projectId: 'project_other' })), false);
    assert.equal(tokenMatchesApp({ ...claims, tid: null }, webApp({ id: 'app_1', tenantId: null })), true);
  });
});
