import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** The Node request and response behind a Hono context, when the app runs on `@hono/node-server`. */
function nodeOf(c: Context): { incoming?: IncomingMessage; outgoing?: ServerResponse } {
  return (c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined) ?? {};
}

/**
 * Calls `release` once the response is over for the server: on Node, when the response closes
 * (sent, cut by the write timeout, or its socket gone — the socket is watched too, because a
 * pipelined response still waiting in line never gets its own `close`); without a Node socket,
 * when the body has been read to its end, failed or was cancelled. Whichever comes first wins;
 * `release` must tolerate being called more than once.
 */
export function releaseWhenSent(c: Context, response: Response, release: () => void): Response {
  const { incoming, outgoing } = nodeOf(c);
  if (outgoing) {
    const socket = incoming?.socket;
    const done = (): void => {
      socket?.off('close', done);
      release();
    };
    outgoing.once('close', done);
    socket?.once('close', done);
    if (outgoing.destroyed || socket?.destroyed) done();
    return response;
  }
  if (!response.body) {
    release();
    return response;
  }
  const source = response.body.getReader();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await source.read();
          if (done) {
            release();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          release();
          controller.error(error);
        }
      },
      cancel(reason) {
        release();
        return source.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
