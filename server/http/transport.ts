import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { omitContentTypeOnBodylessResponses } from './bodyless-responses.js';
import { getRequestListener, RequestError } from '@hono/node-server';
import { closeSilentSockets, limitConnections, type ConnectionLimits } from './connection-limits.js';
import type { ErrorCode } from '../core/errors.js';
import { problemBody } from './problem.js';
import { newRequestId } from './request-id.js';

/** Transport limits: a client that trickles its headers or body cannot hold a socket for minutes. */
export const TRANSPORT_LIMITS = {
  /** A socket that has not sent a whole request head by then is closed (idle sockets included). */
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  /** An idle keep-alive socket is closed after this. */
  keepAliveTimeoutMs: 5_000,
} as const;

/** The transport limits of one server: timeouts and connection caps. */
export type TransportSettings = { -readonly [K in keyof typeof TRANSPORT_LIMITS]: number } & Pick<
  ConnectionLimits,
  'maxConnections' | 'maxConnectionsPerAddress'
>;

// How often Node checks the headers and request timeouts; its default (30 s) would let an idle
// socket live three times longer than headersTimeout.
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * Applies the transport limits and answers requests that Node's HTTP parser rejects before the
 * app sees them (malformed request lines, oversized headers, timeouts) with problem+json, like
 * every other error, instead of Node's bare default response. 204/304 responses carry no
 * `Content-Type`.
 */
export function hardenTransport(server: Server, settings: TransportSettings): void {
  omitContentTypeOnBodylessResponses(server);
  server.headersTimeout = settings.headersTimeoutMs;
  server.requestTimeout = settings.requestTimeoutMs;
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  limitConnections(server, settings);
  closeSilentSockets(server, settings.headersTimeoutMs);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const [code, detail] = describeClientError(error.code);
    const requestId = newRequestId();
    const problem = problemBody(code, detail, undefined, requestId);
    const body = JSON.stringify(problem);
    socket.end(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        `X-Request-Id: ${requestId}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}

function describeClientError(code: string | undefined): [ErrorCode, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return ['request_header_fields_too_large', 'Request headers are too large.'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return ['request_timeout', 'The request took too long to arrive.'];
    default:
      return ['bad_request', 'The request is not valid HTTP.'];
  }
}

/**
 * The answer to a request the Node adapter could not turn into a `Request` (malformed `Host`,
 * backslash in the path, unparsable absolute URL…) or that failed outside the app: problem+json
 * with a fresh `x-request-id`, like every other error, instead of the adapter's bare 400/500.
 */
export function adapterErrorResponse(error: unknown): Response {
  const requestId = newRequestId();
  const rejected = error instanceof RequestError;
  const problem = rejected
    ? problemBody('bad_request', 'The request target or Host header is not valid.', undefined, requestId)
    : problemBody('internal_server_error', 'Internal Server Error', undefined, requestId);
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      'x-content-type-options': 'nosniff',
      'x-request-id': requestId,
      ...(rejected ? { connection: 'close' } : {}),
    },
  });
}

/** An HTTP server that hands requests to `fetch` (the Hono app) and answers adapter failures itself. */
export function createAppServer(fetch: (request: Request) => Response | Promise<Response>, hostname: string): Server {
  return createServer(
    { connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS },
    getRequestListener(fetch, { hostname, errorHandler: adapterErrorResponse }),
  );
}
