import { executeServerCommand } from '@web/test-runner-commands';
import type { LoggedRequest, TestServer, TestServerOptions } from './test-server-types.js';

export type { LoggedRequest, TestServer, TestServerOptions };

/** Starts a real reference server on its own ephemeral port for this test. */
export function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  return executeServerCommand('ink-server', { action: 'start', options }) as Promise<TestServer>;
}

/** Every request the server answered so far, oldest first (preflights included). */
export function serverRequests(id: string): Promise<LoggedRequest[]> {
  return executeServerCommand('ink-server', { action: 'requests', id }) as Promise<LoggedRequest[]>;
}

export function clearServerRequests(id: string): Promise<void> {
  return executeServerCommand('ink-server', { action: 'clear-requests', id }).then(() => undefined);
}

export function stopServer(id: string): Promise<void> {
  return executeServerCommand('ink-server', { action: 'stop', id }).then(() => undefined);
}

/** Pairing codes by challenge id, as the server's `onPairingCode` received them (never sent over HTTP). */
export function serverPairingCodes(id: string): Promise<Record<string, string>> {
  return executeServerCommand('ink-server', { action: 'pairing-codes', id }) as Promise<Record<string, string>>;
}

/** Moves the server's clock forward by `ms` (at most an hour), e.g. so a new token gets a later `exp`. */
export function advanceServerClock(id: string, ms: number): Promise<void> {
  return executeServerCommand('ink-server', { action: 'advance-clock', id, ms }).then(() => undefined);
}
