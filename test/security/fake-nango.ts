import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One API-key connection as the stand-in holds it. */
export interface FakeConnection {
  connectionId: string;
  providerConfigKey: string;
  apiKey: string;
}

/** A stateful stand-in for the Nango API on loopback: `POST /connections`, `GET|DELETE /connection/:id`. */
export interface FakeNango {
  url: string;
  /** Connections by `providerConfigKey + ' ' + connectionId`. */
  connections: Map<string, FakeConnection>;
  close(): Promise<void>;
}

const slot = (providerConfigKey: string, connectionId: string): string => `${providerConfigKey} ${connectionId}`;

/** Starts the stand-in on 127.0.0.1, port 0. Requests without `Authorization: Bearer <secretKey>` get 401. */
export async function startFakeNango(secretKey: string): Promise<FakeNango> {
  const connections = new Map<string, FakeConnection>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const reply = (status: number, payload: unknown = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.headers.authorization !== `Bearer ${secretKey}`) return reply(401);
      const url = new URL(req.url ?? '/', 'http://nango.invalid');
      if (req.method === 'POST' && url.pathname === '/connections') {
        const input = JSON.parse(body) as { connection_id: string; provider_config_key: string; credentials: { apiKey: string } };
        connections.set(slot(input.provider_config_key, input.connection_id), {
          connectionId: input.connection_id,
          providerConfigKey: input.provider_config_key,
          apiKey: input.credentials.apiKey,
        });
        return reply(201);
      }
      const match = /^\/connection\/([^/]+)$/.exec(url.pathname);
      if (!match?.[1]) return reply(404);
      const key = slot(url.searchParams.get('provider_config_key') ?? '', decodeURIComponent(match[1]));
      if (!connections.has(key)) return reply(404);
      if (req.method === 'GET') return reply(200, { connection_id: connections.get(key)?.connectionId });
      if (req.method === 'DELETE') {
        connections.delete(key);
        return reply(204);
      }
      return reply(405);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
