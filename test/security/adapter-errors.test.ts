import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSecurityServer, type SecurityServer } from './harness.js';
import { sendRaw } from './http-client.js';
import { problemViolations } from './problem-shape.js';

/** Requests Node's HTTP parser accepts but the Hono adapter cannot turn into a `Request`. */
const REJECTED_BY_ADAPTER: Array<[string, string]> = [
  ['a Host with a space', 'GET /run/auth/pow/challenge HTTP/1.1\r\nHost: exa mple.com\r\nConnection: close\r\n\r\n'],
  ['an unclosed IPv6 Host', 'GET /run/auth/pow/challenge HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n'],
  ['a Host with a path', 'GET /run/auth/pow/challenge HTTP/1.1\r\nHost: evil.example/x\r\nConnection: close\r\n\r\n'],
  ['a Host with userinfo', 'GET /run/auth/pow/challenge HTTP/1.1\r\nHost: user@evil.example\r\nConnection: close\r\n\r\n'],
  ['a backslash in the path', 'GET /run\\auth HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'],
  ['an unparsable absolute URL', 'GET http://[bad/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'],
];

describe('requests the Node adapter rejects before Hono get problem+json with x-request-id', () => {
  let s: SecurityServer;
  before(async () => {
    s = await startSecurityServer({ pow: null });
  });
  after(() => s.close());

  for (const [what, request] of REJECTED_BY_ADAPTER) {
    test(`${what} → problem+json 400 with x-request-id`, async () => {
      const reply = await sendRaw(s.port, request);
      assert.equal(reply.status, 400, `${reply.status} ${reply.text}`);
      assert.deepEqual(problemViolations(reply), [], JSON.stringify(reply));
      assert.match(String(reply.headers['x-request-id']), /^req_[0-9a-f]{32}$/);
      assert.equal((JSON.parse(reply.text) as { requestId: string }).requestId, reply.headers['x-request-id']);
    });
  }

  test('the server keeps serving after them', async () => {
    const reply = await sendRaw(s.port, 'GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    assert.equal(reply.status, 404);
    assert.deepEqual(problemViolations(reply), []);
  });
});
