import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseAdminKeys } from '../../server/manage/admin-auth.js';
import { startServer, type AppRecord, type PowSettings, type RunningServer } from '../../server/index.js';
import { CredentialStoreRegistry } from '../../server/manage/credential-stores/credential-store.js';
import { MemoryCredentialStore } from '../../server/manage/credential-stores/memory-credential-store.js';
import { JWT_SECRET, POW_SECRET, webApp } from '../server/helpers.js';

export { JWT_SECRET, POW_SECRET };

/** Tenant, project and admin keys of the security harness (keys are ≥ 16 chars, as the parser demands). */
export const TENANT = 'tenant_sec';
export const PROJECT = 'project_sec';
export const OTHER_TENANT = 'tenant_rival';
export const OTHER_PROJECT = 'project_rival';
export const ADMIN_KEY = 'sec-admin-key-7f3a9c1e5b2d4f6a8c0e';
export const OTHER_TENANT_KEY = 'rival-admin-key-1b3d5f7a9c2e4a6c8e0b';

/** The protected app (allows `*.example.com` and localhost) and an app of another tenant. */
export const APP_ID = 'app_secapp00000000000000001';
export const OTHER_APP_ID = 'app_secapp00000000000000002';
export const ALLOWED_ORIGIN = 'https://app.example.com';

/** Small v1 difficulty so each test solve takes milliseconds. */
export function smallPow(overrides: Partial<PowSettings> = {}): PowSettings {
  return { hmacSecret: POW_SECRET, difficulty: 200, ttlSeconds: 600, format: 'v1', ...overrides };
}

export function securityApps(): AppRecord[] {
  return [
    webApp({ id: APP_ID, tenantId: TENANT, projectId: PROJECT }, { allowedDomains: ['*.example.com', 'localhost'] }),
    webApp({ id: OTHER_APP_ID, tenantId: OTHER_TENANT, projectId: OTHER_PROJECT }, { allowedDomains: ['*.example.com', 'localhost'] }),
  ];
}

/** A running server with PoW, the manage API on a temp SQLite file, pairing, and captured output. */
export interface SecurityServer {
  server: RunningServer;
  url: string;
  port: number;
  dbPath: string;
  /** Every `log` line and every request-log entry (as JSON). */
  logs: string[];
  /** Pairing codes as the server announced them. */
  pairingCodes: Array<{ code: string; challengeId: string }>;
  /** The only credential store offered; its size shows whether a secret was written. */
  memoryStore: MemoryCredentialStore;
  /** `…/manage/tenants/{tenant}/projects/{project}` */
  manageUrl(tenant?: string, project?: string): string;
  /** Dump of every SQLite table plus in-memory store and pairing-key counts; equal dumps mean nothing changed. */
  snapshot(): string;
  close(): Promise<void>;
}

export interface SecurityServerOptions {
  pow?: PowSettings | null;
  jwtSecret?: string;
  apps?: AppRecord[];
}

/** Starts the harness server on 127.0.0.1, port 0. */
export async function startSecurityServer(options: SecurityServerOptions = {}): Promise<SecurityServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ink-auth-sec-'));
  const dbPath = join(dir, 'sec.db');
  const logs: string[] = [];
  const pairingCodes: Array<{ code: string; challengeId: string }> = [];
  const memoryStore = new MemoryCredentialStore('memory-default');
  const server = await startServer({
    log: (line) => logs.push(line),
    onRequest: (entry) => logs.push(JSON.stringify(entry)),
    onPairingCode: (code, info) => pairingCodes.push({ code, challengeId: info.challengeId }),
    config: {
      jwtSecret: options.jwtSecret ?? JWT_SECRET,
      pow: options.pow === undefined ? smallPow() : options.pow,
      apps: options.apps ?? securityApps(),
      manage: {
        dbPath,
        stores: new CredentialStoreRegistry([memoryStore]),
        adminKeys: parseAdminKeys(`${TENANT}:${ADMIN_KEY},${OTHER_TENANT}:${OTHER_TENANT_KEY}`),
      },
    },
  });
  const reader = new Database(dbPath, { readonly: true, fileMustExist: true });
  const tables = (reader.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map(
    (t) => t.name,
  );
  return {
    server,
    url: server.url,
    port: server.port,
    dbPath,
    logs,
    pairingCodes,
    memoryStore,
    manageUrl: (tenant = TENANT, project = PROJECT) => `${server.url}/manage/tenants/${tenant}/projects/${project}`,
    snapshot() {
      const dump: Record<string, unknown> = {};
      for (const table of tables) dump[table] = reader.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all();
      dump['memory-store-size'] = memoryStore.size;
      dump['pairing-key-count'] = (reader.prepare('SELECT COUNT(*) AS n FROM paired_api_keys').get() as { n: number }).n;
      return JSON.stringify(dump);
    },
    async close() {
      reader.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
