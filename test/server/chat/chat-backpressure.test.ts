import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { RunningServer } from '../../../server/index.js';
import { withWriteTimeout } from '../../../server/http/write-timeout.js';
import { APP_ID, ORIGIN, startTestServer } from '../helpers.js';
import { aiSdkChat, sessionToken, userMessage } from './chat-client.js';

const WRITE_TIMEOUT_MS = 500;
// Far more answer bytes (≈ 24 MB) than a paused loopback socket and the server's send buffer hold.
const PIPELINED = 400;
const MESSAGE_BYTES = 60_000;

/** Resolves when the socket is closed (by either side); rejects if that takes longer than `boundMs`. */
function closed(socket: Socket, boundMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return resolve();
    const guard = setTimeout(() => reject(new Error(`the socket was still open after ${boundMs} ms`)), boundMs);
    socket.once('close', () => {
      clearTimeout(guard);
      resolve();
    });
  });
}

/** Waits until `count()` has not changed for `quietMs` (bounded by `boundMs`); returns the count. */
async function settledCount(count: () => number, quietMs: number, boundMs: number): Promise<number> {
  const deadline = Date.now() + boundMs;
  let last = count();
  let since = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (count() !== last) {
      last = count();
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return last;
  }
  throw new Error(`the server was still taking requests after ${boundMs} ms`);
}

describe('a chat client that does not read', () => {
  let server: RunningServer;
  let token: string;
  const chatRequests: string[] = [];

  before(async () => {
    server = await startTestServer({
      onRequest: (entry) => {
        if (entry.path === '/run/api/chat') chatRequests.push(entry.requestId);
      },
      chat: {
        writeTimeoutMs: WRITE_TIMEOUT_MS,
        limits: { maxMessageBytes: MESSAGE_BYTES, maxConversationsPerOwner: 1000 },
        // Backpressure alone is under test: the budgets would refuse pipelined requests with a 429
        // and close the connection gracefully, which a socket that never reads cannot observe.
        rateLimits: {
          chatPerIdentity: { burst: 1000, perMinute: 1000 },
          chatPerAddress: { burst: 1000, perMinute: 1000 },
          streamsPerIdentity: 1000,
          streamsPerAddress: 1000,
        },
      },
    });
    token = await sessionToken(server);
  });
  after(() => server.close());

  test('is backpressured (the server stops taking its requests) and cut off after the write timeout; others are served meanwhile', async () => {
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'a'.repeat(MESSAGE_BYTES) }] });
    const request =
      `POST /run/api/chat HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${ORIGIN}\r\n` +
      `Authorization: Bearer ${token}\r\nx-inkeep-app-id: ${APP_ID}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    // Far more reply bytes than the loopback socket buffers hold, pipelined on one connection
    // whose reading side is paused for good.
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.pause();
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    for (let i = 0; i < PIPELINED; i++) socket.write(request);

    // Meanwhile other clients chat normally.
    const others = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => (await aiSdkChat({ server, token: await sessionToken(server) }, [userMessage(`other ${i}`)])).text),
    );
    others.forEach((text, i) => assert.ok(text.includes(`"other ${i}"`), text));

    // The server stops taking this client's requests once its answers stall, and cuts it off a
    // write timeout later: the count of chat requests then stays put.
    const settled = await settledCount(() => chatRequests.length, 4 * WRITE_TIMEOUT_MS, 90_000);
    // Only now read: a cut connection then ends as soon as its buffered bytes are consumed (a
    // paused socket cannot see the server's FIN), while a connection still open would stay open.
    socket.resume();
    await closed(socket, 10_000);
    assert.equal(chatRequests.length, settled, 'no request of the cut connection was answered once it read again');
    const fromStalled = settled - others.length;
    assert.ok(fromStalled > 0, 'the server answered some of the pipelined requests');
    assert.ok(fromStalled < PIPELINED, `the server stopped taking requests from a client that does not read (${fromStalled} of ${PIPELINED})`);
    // And it still serves after cutting the stalled one off.
    assert.ok((await aiSdkChat({ server, token }, [userMessage('after')])).text.includes('"after"'));
  });
});

describe('withWriteTimeout', () => {
  test('pulls the source only as the consumer reads, and fails the body when a chunk waits too long', async () => {
    let pulls = 0;
    const source = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++;
          controller.enqueue(new Uint8Array(1024));
        },
      },
      { highWaterMark: 0 },
    );
    const guarded = withWriteTimeout(new Response(source), undefined, 50);
    const reader = guarded.body!.getReader();
    await reader.read();
    await reader.read();
    const failed = reader.closed.then(() => 'closed', (error: unknown) => String(error));
    assert.match(await failed, /write timeout/);
    assert.ok(pulls <= 3, `the source was pulled ${pulls} times for 2 reads (no read-ahead into memory)`);
  });

  test('a consumer that keeps reading is never cut off', async () => {
    let left = 5;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (left-- > 0) controller.enqueue(new Uint8Array(8));
        else controller.close();
      },
    });
    const text = await withWriteTimeout(new Response(source), undefined, 50).arrayBuffer();
    assert.equal(text.byteLength, 40);
  });
});
