import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { randomSecret, DEFAULT_SESSION_LIFETIME_SECONDS } from './config.js';
import { DEFAULT_CONFIG_PATH, readAppsConfig } from './config-file.js';
import { escapingLog } from './core/log-text.js';
import { PairingService } from './pairing/pairing-service.js';
import { defaultCredentialStores } from './manage/credential-stores/default-credential-stores.js';
import { openState } from './state/state.js';
import type { StateSettings } from './state/state-settings.js';
import { defaultConnectionLimits } from './http/connection-limits.js';
import { createAppServer, hardenTransport, TRANSPORT_LIMITS } from './http/transport.js';
import type { RunningServer, ServerConfig, StartOptions } from './types.js';

/** Fills a partial config: random JWT secret, 30-day sessions, PoW off, the demo app. */
export function completeConfig(partial: Partial<ServerConfig> = {}): ServerConfig {
  return {
    jwtSecret: partial.jwtSecret ?? randomSecret(),
    jwtSecretGenerated: partial.jwtSecret === undefined ? true : (partial.jwtSecretGenerated ?? false),
    sessionLifetimeSeconds: partial.sessionLifetimeSeconds ?? DEFAULT_SESSION_LIFETIME_SECONDS,
    pow: partial.pow ?? null,
    apps: partial.apps ?? readAppsConfig(DEFAULT_CONFIG_PATH),
    pairingApp: partial.pairingApp,
    manage: partial.manage ?? null,
    trustedProxies: partial.trustedProxies ?? [],
    ...(partial.state ? { state: partial.state } : {}),
  };
}

/** The state settings a config implies: its own, else SQLite at `manage.dbPath`, else in memory. */
export function stateSettingsOf(config: ServerConfig): StateSettings {
  return config.state ?? { sqlitePath: config.manage?.dbPath ?? ':memory:' };
}

/**
 * Starts the reference server on `host:port` (default 127.0.0.1, ephemeral port).
 * Resolves once it is listening.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = completeConfig(options.config);
  const log = escapingLog(options.log ?? ((line: string) => console.log(line)));
  const now = options.now ?? Date.now;
  const state = await openState(stateSettingsOf(config), { seedApps: config.apps, log, challenges: options.pairing?.challenges, now });
  // The state's app store is the registry, so manage writes reach sessions at once (on every instance).
  const registry = options.registry ?? state.apps;
  const manage = config.manage
    ? {
        apps: state.apps,
        credentials: state.credentials,
        stores: config.manage.stores ?? defaultCredentialStores(process.env),
        adminKeys: config.manage.adminKeys,
      }
    : undefined;
  const pairing = new PairingService({
    apps: registry,
    keys: state.pairedKeys,
    challengeStore: state.challenges,
    rateLimits: state.rateLimits,
    log,
    onPairingCode: options.onPairingCode,
    ownerSecret: config.jwtSecret,
    now,
    ...options.pairing,
  });
  const app = createApp({
    config,
    registry,
    replay: state.replay,
    rateLimits: state.rateLimits,
    onRequest: options.onRequest,
    log,
    manage,
    pairing,
    conversations: options.conversations ?? state.conversations,
    serviceKeys: options.serviceKeys ?? state.serviceKeys,
    chat: options.chat,
    now,
  });
  const host = options.host ?? '127.0.0.1';

  const server = await new Promise<Server>((resolve, reject) => {
    const s = createAppServer(app.fetch, host);
    s.listen(options.port ?? 0, host, () => resolve(s));
    s.once('error', (err) => {
      void state.close();
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
    state,
    connectionLimits: {
      maxConnections: transport.maxConnections,
      maxConnectionsPerAddress: transport.maxConnectionsPerAddress,
      openFileLimit: connectionDefaults.openFileLimit,
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => {
          state.close().then(() => (err ? reject(err) : resolve()), reject);
        });
        // Keep-alive sockets and open event streams would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
