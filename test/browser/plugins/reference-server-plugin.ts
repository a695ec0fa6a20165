import { randomBytes } from 'node:crypto';
import type { LoggedRequest, TestServerOptions } from '../helpers/test-server-types.js';

type Payload =
  | { action: 'start'; options?: TestServerOptions }
  | { action: 'requests'; id: string }
  | { action: 'clear-requests'; id: string }
  | { action: 'stop'; id: string }
  | { action: 'pairing-codes'; id: string }
  | { action: 'advance-clock'; id: string; ms: number };

interface Running {
  close(): Promise<void>;
  requests: LoggedRequest[];
  /** Pairing codes by challenge id, as the server's `onPairingCode` received them. */
  pairingCodes: Record<string, string>;
  /** Moves the server's clock (tokens, PoW, stores) forward: tests wait for no real second to pass. */
  advance(ms: number): void;
}

const MAX_LOGGED_REQUESTS = 10_000;

/**
 * Test-runner plugin: browser tests start, inspect and stop real reference servers through
 * `executeServerCommand('ink-server', …)` (see test/browser/helpers/server.ts). Each server
 * listens on its own ephemeral loopback port, so tests never share server state.
 */
export function referenceServerPlugin() {
  const servers = new Map<string, Running>();

  async function start(options: TestServerOptions = {}) {
    // Imported lazily so the test runner starts even while the server module is being edited.
    const { startServer } = await import('../../../server/index.js');
    const now = new Date().toISOString();
    const requests: LoggedRequest[] = [];
    const pairingCodes: Record<string, string> = {};
    const pow = options.pow ?? 'v1';
    // An app id of its own per server: the browser caches sessions by base URL and app id, and
    // the OS may hand a closed server's port to the next one, whose tabs would then adopt the
    // old server's cached token (seen once in WebKit: a renewal test counted 1 request, not 2).
    const appId = options.appId ?? `app_test_${randomBytes(8).toString('hex')}`;
    let offsetMs = 0;
    const server = await startServer({
      port: 0,
      now: () => Date.now() + offsetMs,
      log: () => {},
      onPairingCode: (code, info) => {
        pairingCodes[info.challengeId] = code;
      },
      onRequest: (entry) => {
        if (requests.length >= MAX_LOGGED_REQUESTS) requests.shift();
        requests.push({ method: entry.method, path: entry.path, status: entry.status });
      },
      config: {
        sessionLifetimeSeconds: options.sessionLifetimeSeconds ?? 3600,
        pow:
          pow === 'off'
            ? null
            : {
                hmacSecret: randomBytes(32).toString('hex'),
                difficulty: options.difficulty ?? 5000,
                ttlSeconds: 600,
                format: pow,
              },
        apps: [
          {
            id: appId,
            tenantId: 'tenant_test',
            projectId: 'project_test',
            name: 'browser tests',
            description: null,
            type: 'web_client',
            defaultAgentId: 'agent_test',
            enabled: options.enabled ?? true,
            config: {
              type: 'web_client',
              webClient: {
                allowedDomains: options.allowedDomains ?? ['localhost', '127.0.0.1'],
                allowAnonymous: options.allowAnonymous ?? true,
                publicKeys: (options.publicKeys ?? []).map((key) => ({ ...key, addedAt: now })),
              },
            },
            lastUsedAt: null,
            createdAt: now,
            updatedAt: now,
          },
        ],
      },
    });
    const id = `srv_${randomBytes(6).toString('hex')}`;
    servers.set(id, { close: () => server.close(), requests, pairingCodes, advance: (ms) => (offsetMs += ms) });
    return { id, url: server.url, appId };
  }

  function find(id: string): Running {
    const server = servers.get(id);
    if (!server) throw new Error(`ink-server: no running test server "${id}"`);
    return server;
  }

  return {
    name: 'ink-reference-server',
    async executeCommand({ command, payload }: { command: string; payload?: unknown }) {
      if (command !== 'ink-server') return undefined;
      const request = payload as Payload;
      switch (request.action) {
        case 'start':
          return start(request.options);
        case 'requests':
          return [...find(request.id).requests];
        case 'pairing-codes':
          return { ...find(request.id).pairingCodes };
        case 'advance-clock':
          find(request.id).advance(Math.max(0, Math.min(3_600_000, request.ms)));
          return true;
        case 'clear-requests':
          find(request.id).requests.length = 0;
          return true;
        case 'stop': {
          const server = servers.get(request.id);
          servers.delete(request.id);
          await server?.close();
          return true;
        }
        default:
          throw new Error(`ink-server: unknown action ${JSON.stringify(request)}`);
      }
    },
    async serverStop() {
      const all = [...servers.values()];
      servers.clear();
      await Promise.all(all.map((server) => server.close()));
    },
  };
}
