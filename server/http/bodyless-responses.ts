import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';

// Statuses that never carry content (RFC 9110 §15.3.5, §15.4.5): `Content-Type` describes content,
// so these responses must not claim any.
const BODYLESS_STATUSES: ReadonlySet<number> = new Set([204, 304]);

type HeaderArgument = OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined;

function withoutContentType(headers: HeaderArgument): HeaderArgument {
  if (Array.isArray(headers)) {
    const pairs: OutgoingHttpHeader[] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() !== 'content-type') pairs.push(headers[i]!, headers[i + 1]!);
    }
    return pairs;
  }
  if (!headers) return headers;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-type'));
}

/**
 * Keeps `Content-Type` off 204 and 304 responses. @hono/node-server gives every response that
 * has none `text/plain; charset=UTF-8` while writing the head — a 204 built with
 * `c.body(null, 204)` included — and offers no option to turn that off, so the head is corrected
 * where it is written: in `writeHead`, before any other request listener runs.
 */
export function omitContentTypeOnBodylessResponses(server: Server): void {
  server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
    const writeHead = response.writeHead.bind(response) as (status: number, ...rest: unknown[]) => ServerResponse;
    response.writeHead = ((status: number, ...rest: unknown[]) => {
      if (!BODYLESS_STATUSES.has(status)) return writeHead(status, ...rest);
      response.removeHeader('content-type');
      // writeHead(status, headers?) or writeHead(status, statusMessage, headers?)
      const last = rest.length - 1;
      if (last >= 0 && typeof rest[last] === 'object') rest[last] = withoutContentType(rest[last] as HeaderArgument);
      return writeHead(status, ...rest);
    }) as ServerResponse['writeHead'];
  });
}
