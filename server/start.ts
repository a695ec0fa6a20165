import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { randomSecret, DEFAULT_SESSION_LIFETIME_SECONDS } from './config.js';
import { DEFAULT_CONFIG_PATH, readAppsConfig } from './config-file.js';
import { MemoryAppRegistry } from './store/app-registry.js';
import type { RunningServer, ServerConfig, StartOptions } from './types.js';

/** Fills a partial config: random JWT secret, 30-day sessions, PoW off, the demo app. */
export function completeConfig(partial: Partial<ServerConfig> = {}): ServerConfig {
  return {
    jwtSecret: partial.jwtSecret ?? randomSecret(),
    jwtSecretGenerated: partial.jwtSecret === undefined ? true : (partial.jwtSecretGenerated ?? false),
    sessionLifetimeSeconds: partial.sessionLifetimeSeconds ?? DEFAULT_SESSION_LIFETIME_SECONDS,
    pow: partial.pow ?? null,
    apps: partial.apps ?? readAppsConfig(DEFAULT_CONFIG_PATH),
  };
}

/**
 * Starts the reference server on `host:port` (default 127.0.0.1, ephemeral port).
 * Resolves once it is listening.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = completeConfig(options.config);
  const registry = options.registry ?? new MemoryAppRegistry(config.apps);
  const app = createApp({ config, registry, onRequest: options.onRequest, log: options.log });
  const host = options.host ?? '127.0.0.1';

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s as Server));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    config,
    registry,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets and open event streams would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
