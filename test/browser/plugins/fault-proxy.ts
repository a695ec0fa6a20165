import { createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Fault, FaultRoute, ProxyLogEntry } from '../helpers/fault-types.js';

/** Applies `fault` to the next `times` requests of `route`. */
export interface FaultRule {
  route: FaultRoute;
  times: number;
  fault: Fault;
}

const MAX_LOG = 5_000;
const MAX_RULES = 100;
const MAX_BUFFERED_BODY = 1_000_000;
const EXPOSED = 'x-request-id, retry-after, content-type';

function routeOf(path: string): FaultRoute | 'other' {
  if (path.startsWith('/run/auth/pow/challenge')) return 'challenge';
  if (/^\/run\/auth\/apps\/[^/]+\/anonymous-session/.test(path)) return 'session';
  if (path.startsWith('/run/api/chat')) return 'chat';
  return 'other';
}

function cors(req: IncomingMessage): Record<string, string> {
  return { 'access-control-allow-origin': req.headers.origin ?? '*', 'access-control-expose-headers': EXPOSED, vary: 'Origin' };
}

function problem(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  extra: Record<string, string> = {},
  text: { detail?: string; reason?: string } = {},
): void {
  const code = status === 429 ? 'too_many_requests' : status === 401 ? 'unauthorized' : status >= 500 ? 'internal_server_error' : 'bad_request';
  const detail = text.detail ?? `Injected by the fault proxy (${status}).`;
  const reason = text.reason === undefined ? {} : { reason: text.reason };
  const body = JSON.stringify({ title: code, status, detail, code, ...reason, requestId: 'req_faultproxy', error: { code, message: detail } });
  res.writeHead(status, { ...cors(req), 'content-type': 'application/problem+json', ...extra });
  res.end(body);
}

const b64url = (value: string) => Buffer.from(value).toString('base64url');

/** A JWT-shaped token with `exp` in the past; unsigned for real (the client only decodes). */
function expiredTokenLike(token: string): string {
  let claims: Record<string, unknown> = {};
  try {
    claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    claims = { sub: 'anon_00000000-0000-4000-8000-000000000000' };
  }
  // Expired when issued (exp before iat): whatever the page's clock says, it is never valid.
  const now = Math.floor(Date.now() / 1000);
  const payload = { ...claims, iat: now, exp: now - 3_600 };
  return `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.${b64url('not-a-signature')}`;
}

/** Rewrites a buffered upstream answer for the body faults. */
function rewrite(fault: Fault, body: Buffer): Buffer {
  if (fault.kind === 'truncate') return body.subarray(0, Math.floor(body.length / 2));
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return body;
  }
  if (typeof record.token !== 'string') return body;
  record.token = fault.kind === 'token-expired' ? expiredTokenLike(record.token) : 'this-is-not-a-jwt';
  return Buffer.from(JSON.stringify(record));
}

/** A fault-injecting HTTP proxy in front of one upstream server (see {@link startFaultProxy}). */
export interface FaultProxy {
  url: string;
  addFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  log(): ProxyLogEntry[];
  clearLog(): void;
  /** Closes the listener (connections are refused) until {@link up}; `forMs` reopens by itself. */
  down(forMs?: number): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a loopback HTTP proxy to `upstream` that injects scripted faults per route. Preflights
 * always reach the upstream; every other request consumes the first matching rule.
 */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const started = Date.now();
  const rules: FaultRule[] = [];
  const entries: ProxyLogEntry[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let listening = false;
  let closed = false;

  const take = (route: FaultRoute | 'other'): Fault | null => {
    const index = rules.findIndex((r) => r.times > 0 && (r.route === 'any' || r.route === route));
    const rule = rules[index];
    if (!rule) return null;
    if (--rule.times <= 0) rules.splice(index, 1);
    return rule.fault;
  };

  /** Reads what the server said beside piping it on (the first 2 KB of a problem body). */
  const noteRefusal = (req: IncomingMessage, up: IncomingMessage, entry: ProxyLogEntry) => {
    const chunks: Buffer[] = [];
    let size = 0;
    up.on('data', (chunk: Buffer) => {
      if (size < 2048) chunks.push(chunk);
      size += chunk.length;
    });
    up.on('end', () => {
      let said = '';
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { reason?: string; code?: string; detail?: string };
        said = `${body.reason ?? body.code ?? '?'}: ${body.detail ?? ''}`;
      } catch {
        said = 'not a problem body';
      }
      const bearer = /^Bearer\s+\S/i.test(req.headers.authorization ?? '') ? 'bearer' : 'no bearer';
      const appId = req.headers['x-inkeep-app-id'] ? 'app id' : 'no app id';
      entry.refusal = `${said} (${bearer}, ${appId})`;
    });
  };

  const forward = (req: IncomingMessage, res: ServerResponse, entry: ProxyLogEntry, fault: Fault | null) => {
    const headers: IncomingHttpHeaders = { ...req.headers, host: target.host };
    const out = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      const buffering = fault && (fault.kind === 'truncate' || fault.kind === 'token-not-jwt' || fault.kind === 'token-expired');
      if (!buffering) {
        entry.status = up.statusCode ?? 0;
        if (entry.status >= 400) noteRefusal(req, up, entry);
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      up.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BUFFERED_BODY) chunks.push(chunk);
      });
      up.on('end', () => {
        const body = rewrite(fault, Buffer.concat(chunks));
        const { 'content-length': _length, 'transfer-encoding': _encoding, ...rest } = up.headers;
        entry.status = up.statusCode ?? 0;
        res.writeHead(up.statusCode ?? 502, { ...rest, 'content-length': String(body.length) });
        res.end(body);
      });
    });
    out.on('error', () => {
      entry.status = 502;
      if (!res.headersSent) problem(req, res, 502);
      else res.destroy();
    });
    req.pipe(out);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const route = routeOf(path);
    const fault = req.method === 'OPTIONS' || route === 'other' ? null : take(route);
    const entry: ProxyLogEntry = { method: req.method ?? 'GET', path, route, fault: fault?.kind ?? null, status: 0, at: Date.now() - started };
    if (entries.length >= MAX_LOG) entries.shift();
    entries.push(entry);
    if (!fault) return forward(req, res, entry, null);
    switch (fault.kind) {
      case 'status': {
        const extra: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
        req.resume();
        const answer = () => {
          entry.status = fault.status;
          if (!res.destroyed) problem(req, res, fault.status, extra, fault);
        };
        if (!fault.afterMs) return answer();
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, fault.afterMs);
        timers.add(timer);
        return;
      }
      case 'hang':
        req.resume();
        if (fault.stage === 'headers') {
          entry.status = 200;
          res.writeHead(200, { ...cors(req), 'content-type': 'application/json' });
          res.write('{"token":"');
        }
        return; // never ends; the socket is destroyed when the proxy goes down or closes
      case 'non-json': {
        const status = fault.status ?? 200;
        entry.status = status;
        req.resume();
        res.writeHead(status, { ...cors(req), 'content-type': 'text/html; charset=utf-8' });
        return res.end('<!doctype html><title>Gateway</title><p>Something in between answered instead of the API.</p>');
      }
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          forward(req, res, entry, null);
        }, fault.ms);
        timers.add(timer);
        return;
      }
      default:
        return forward(req, res, entry, fault);
    }
  };

  const server: Server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        listening = true;
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const port = await listen(0);

  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
    });

  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    addFaults(more) {
      for (const rule of more) if (rules.length < MAX_RULES && rule.times > 0) rules.push({ ...rule });
    },
    clearFaults() {
      rules.length = 0;
    },
    log: () => entries.map((e) => ({ ...e })),
    clearLog() {
      entries.length = 0;
    },
    async down(forMs) {
      await stopListening();
      if (forMs !== undefined) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          void proxy.up().catch(() => undefined);
        }, forMs);
        timers.add(timer);
      }
    },
    async up() {
      if (listening || closed) return;
      // The port was ours a moment ago; another process grabbing it in between is not expected on loopback.
      await listen(port);
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await stopListening();
    },
  };
  return proxy;
}
