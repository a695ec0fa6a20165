import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { randomSecret, DEFAULT_SESSION_LIFETIME_SECONDS } from './config.js';
import { DEFAULT_CONFIG_PATH, readAppsConfig } from './config-file.js';
import { escapingLog } from './domain/log-text.js';
import { PairingService } from './domain/pairing-service.js';
import { MemoryAppRegistry } from './store/app-registry.js';
import { openManageStorage } from './store/manage-storage.js';
import { defaultConnectionLimits } from './connection-limits.js';
import { createAppServer, hardenTransport, TRANSPORT_LIMITS } from './transport.js';
import type { RunningServer, ServerConfig, StartOptions } from './types.js';

/** Fills a partial config: random JWT secret, 30-day sessions, PoW off, the demo app. */
export function completeConfig(partial: Partial<ServerConfig> = {}): ServerConfig {
  return {
    jwtSecret: partial.jwtSecret ?? randomSecret(),
    jwtSecretGenerated: partial.jwtSecret === undefined ? true : (partial.jwtSecretGenerated ?? false),
    sessionLifetimeSeconds: partial.sessionLifetimeSeconds ?? DEFAULT_SESSION_LIFETIME_SECONDS,
    pow: partial.pow ?? null,
    apps: partial.apps ?? readAppsConfig(DEFAULT_CONFIG_PATH),
    manage: partial.manage ?? null,
  };
}

/**
 * Starts the reference server on `host:port` (default 127.0.0.1, ephemeral port).
 * Resolves once it is listening.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = completeConfig(options.config);
  // With manage settings the SQLite store is the registry, so manage writes reach sessions at once.
  const storage = config.manage ? await openManageStorage(config.manage, config.apps) : null;
  const registry = options.registry ?? storage?.apps ?? new MemoryAppRegistry(config.apps);
  const manage =
    storage && config.manage
      ? { apps: storage.apps, credentials: storage.credentials, stores: storage.stores, adminKeys: config.manage.adminKeys }
      : undefined;
  const log = escapingLog(options.log ?? ((line: string) => console.log(line)));
  const pairing = new PairingService({ apps: registry, log, onPairingCode: options.onPairingCode });
  const app = createApp({ config, registry, onRequest: options.onRequest, log, manage, pairing });
  const host = options.host ?? '127.0.0.1';

  const server = await new Promise<Server>((resolve, reject) => {
    const s = createAppServer(app.fetch, host);
    s.listen(options.port ?? 0, host, () => resolve(s));
    s.once('error', (err) => {
      storage?.close();
      reject(err);
    });
  });
  const connectionDefaults = defaultConnectionLimits();
  const transport = { ...TRANSPORT_LIMITS, ...connectionDefaults, ...options.transport };
  hardenTransport(server, transport);
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    config,
    registry,
    pairing,
    connectionLimits: {
      maxConnections: transport.maxConnections,
      maxConnectionsPerAddress: transport.maxConnectionsPerAddress,
      openFileLimit: connectionDefaults.openFileLimit,
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => {
          storage?.close();
          if (err) reject(err);
          else resolve();
        });
        // Keep-alive sockets and open event streams would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
