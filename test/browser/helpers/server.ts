import { executeServerCommand } from '@web/test-runner-commands';

/** Options for a reference server started for one browser test (see the test-runner plugin). */
export interface TestServerOptions {
  /** Proof-of-work format the server issues; `off` makes the challenge endpoint answer 404. Default `v1`. */
  pow?: 'v1' | 'v2' | 'off';
  /** `maxnumber` of issued challenges. Default 5000 (fast tests). */
  difficulty?: number;
  sessionLifetimeSeconds?: number;
  allowAnonymous?: boolean;
  enabled?: boolean;
  allowedDomains?: string[];
}

export interface TestServer {
  id: string;
  /** Base URL, e.g. `http://127.0.0.1:40123` — another origin than the test page. */
  url: string;
  appId: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

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
