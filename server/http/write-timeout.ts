import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** The Node response behind a Hono context, when the app runs on `@hono/node-server`. */
export function nodeResponseOf(c: Context): ServerResponse | undefined {
  const env = c.env as { outgoing?: ServerResponse } | undefined;
  return env?.outgoing;
}

/**
 * Wraps a streamed body so that it is pulled, one chunk at a time, only as fast as the client
 * takes it (the Node adapter reads the next chunk after the socket drained), and so that a
 * client which stops reading is cut off: when a chunk waits longer than `timeoutMs` for the
 * next pull — or, after the last chunk, for the response to finish flushing — the body fails
 * and the connection is destroyed. What one stalled stream holds is then bounded by the bytes
 * already produced for it, and only for `timeoutMs`.
 */
export function withWriteTimeout(response: Response, outgoing: ServerResponse | undefined, timeoutMs: number): Response {
  if (!response.body) return response;
  const source = response.body.getReader();
  let timer: NodeJS.Timeout | undefined;
  const arm = (onTimeout: () => void): void => {
    clearTimeout(timer);
    timer = setTimeout(onTimeout, timeoutMs);
  };
  const cutOff = (): void => {
    void source.cancel().catch(() => {});
    outgoing?.destroy();
  };

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        clearTimeout(timer);
        const { done, value } = await source.read();
        if (done) {
          controller.close();
          // The last bytes may still sit in Node's buffer, waiting for a client that never reads.
          if (outgoing && !outgoing.writableFinished) {
            arm(cutOff);
            outgoing.once('finish', () => clearTimeout(timer));
            outgoing.once('close', () => clearTimeout(timer));
          }
          return;
        }
        controller.enqueue(value);
        arm(() => {
          controller.error(new Error('write timeout'));
          cutOff();
        });
      },
      cancel(reason) {
        clearTimeout(timer);
        return source.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * For an answer that is not streamed (a refusal, a `stream: false` reply): destroys the
 * connection when the answer has not been flushed to the client `timeoutMs` after it was
 * handed over, so a client that never reads cannot hold its socket with a small answer either.
 */
export function cutIfUnflushed(outgoing: ServerResponse | undefined, timeoutMs: number): void {
  if (!outgoing) return;
  const timer = setTimeout(() => {
    if (!outgoing.writableFinished) outgoing.destroy();
  }, timeoutMs);
  outgoing.once('close', () => clearTimeout(timer));
}
