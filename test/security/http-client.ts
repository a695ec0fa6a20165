import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import net from 'node:net';

/** A response as the tests inspect it. */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Thrown when the server neither answered nor closed within the timeout. */
export class HangError extends Error {
  constructor(what: string, ms: number) {
    super(`no response to ${what} within ${ms} ms`);
    this.name = 'HangError';
  }
}

export interface SendOptions {
  method: string;
  path: string;
  /** Arrays send the header once per value (duplicated headers). */
  headers?: OutgoingHttpHeaders;
  body?: Buffer | string;
  /** Stream the body without a content-length (transfer-encoding: chunked). */
  chunked?: boolean;
  timeoutMs?: number;
  /** Source address on loopback (127.0.0.x), for per-address rules. */
  localAddress?: string;
}

/**
 * One request over a fresh connection with `node:http`, which, unlike fetch, sends
 * duplicated, oversized and Latin-1 headers as given. Resolves with the whole response,
 * including when the server answers before it has read a large body.
 */
export function send(port: number, options: SendOptions): Promise<Reply> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const what = `${options.method} ${options.path.slice(0, 80)}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const headers: OutgoingHttpHeaders = { connection: 'close', ...options.headers };
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    if (body && !options.chunked) headers['content-length'] = body.length;
    // Node frames DELETE/OPTIONS bodies only when told to; unframed bytes would be a second request.
    if (body && options.chunked) headers['transfer-encoding'] = 'chunked';
    const target = { host: '127.0.0.1', port, method: options.method, path: options.path, headers, agent: false, localAddress: options.localAddress };
    const req = http.request(target, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') })),
      );
      res.on('error', (err) => finish(() => reject(err)));
    });
    const timer = setTimeout(() => {
      finish(() => reject(new HangError(what, timeoutMs)));
      req.destroy();
    }, timeoutMs);
    // A server that answers early (413) may reset the connection while the body is still
    // being written; the response event has then already fired, so only earlier errors count.
    req.on('error', (err) => setTimeout(() => finish(() => reject(err)), 50));
    if (!body) req.end();
    else if (!options.chunked) req.end(body);
    else {
      const step = 64 * 1024;
      for (let i = 0; i < body.length; i += step) req.write(body.subarray(i, i + step));
      req.end();
    }
  });
}

const HALF_CLOSE_AFTER_MS = 1_000;

function parseRawResponse(raw: Buffer): Reply {
  // The server may drop a request it cannot parse without answering: status 0, closed.
  if (raw.length === 0) return { status: 0, headers: {}, text: '' };
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) throw new Error(`incomplete response: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`);
  const [statusLine = '', ...lines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match?.[1]) throw new Error(`bad status line: ${JSON.stringify(statusLine)}`);
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(headEnd + 4);
  if (/chunked/i.test(String(headers['transfer-encoding'] ?? ''))) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = body.indexOf('\r\n', at);
      if (lineEnd < 0) break;
      const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (!(size > 0)) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return { status: Number(match[1]), headers, text: body.toString('utf8') };
}

/**
 * Writes raw bytes to a fresh socket (for requests `node:http` refuses to build: bare
 * LF or CR in headers, control bytes, malformed request lines) and parses the answer.
 * The request should carry `Connection: close`; the server closing the socket ends it.
 * Status 0 means the server closed the connection without answering.
 */
export function sendRaw(port: number, request: Buffer | string, timeoutMs = 10_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        resolve(parseRawResponse(Buffer.concat(chunks)));
      } catch (err) {
        reject(err);
      }
    };
    const timer = setTimeout(() => {
      settled = true;
      socket.destroy();
      reject(new HangError(`raw ${JSON.stringify(String(request).slice(0, 60))}`, timeoutMs));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', settle);
    socket.on('close', settle);
    socket.on('error', () => settle());
    // Half-closing at once would make Node drop a request still being handled; only a
    // request the server is still waiting on (a truncated body) gets the FIN, later.
    socket.write(request);
    const halfClose = setTimeout(() => socket.end(), HALF_CLOSE_AFTER_MS);
    socket.on('data', () => clearTimeout(halfClose));
    socket.on('close', () => clearTimeout(halfClose));
  });
}
