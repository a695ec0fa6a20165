import { mkdtempSync, rmSync } from 'node:fs';
import { after, before } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAdminKeys } from '../../../server/manage/admin-auth.js';
import type { CredentialStoreRegistry } from '../../../server/manage/credential-stores/credential-store.js';
import { defaultCredentialStores } from '../../../server/manage/credential-stores/default-credential-stores.js';
import { startServer } from '../../../server/index.js';
import type { RunningServer } from '../../../server/index.js';

/** Admin key for `tenant_demo` and one for `tenant_other`, as INK_AUTH_ADMIN_KEYS would carry them. */
export const ADMIN_KEY = 'demo-admin-key-0123456789abcdef';
export const OTHER_TENANT_KEY = 'other-admin-key-0123456789abcdef';
export const TENANT = 'tenant_demo';
export const PROJECT = 'project_demo';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface ManageHarness {
  server: RunningServer;
  dbPath: string;
  /** Everything the server logged, plus every request-log entry as JSON. */
  logs: string[];
  /** Every response body received through `call`. */
  bodies: string[];
  projectUrl: string;
  /** The credential stores the server writes into (for checking effects, never values). */
  stores: CredentialStoreRegistry;
  call(method: string, path: string, body?: unknown, key?: string | null): Promise<Reply>;
}

/** A fresh temp directory for a database file; removed by the returned function. */
export function tempDbPath(): { dbPath: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ink-auth-manage-'));
  return { dbPath: join(dir, 'nested', 'ink-auth.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts a manage server on a fresh temporary database before the enclosing suite and removes
 * both after it. The returned object is the suite's harness once its `before` hooks have run.
 */
export function manageServerPerSuite(): ManageHarness {
  const harness = {} as ManageHarness;
  let cleanup = (): void => {};
  before(async () => {
    const db = tempDbPath();
    cleanup = db.cleanup;
    Object.assign(harness, await startManageServer(db.dbPath));
  });
  after(async () => {
    await harness.server?.close();
    cleanup();
  });
  return harness;
}

/** Starts a real listening server on port 0 with the manage API on a SQLite file. */
export async function startManageServer(dbPath: string, stores: CredentialStoreRegistry = defaultCredentialStores({ PATH: process.env.PATH })): Promise<ManageHarness> {
  const logs: string[] = [];
  const bodies: string[] = [];
  const server = await startServer({
    log: (line) => logs.push(line),
    onRequest: (entry) => logs.push(JSON.stringify(entry)),
    config: {
      pow: null,
      manage: { dbPath, stores, adminKeys: parseAdminKeys(`${TENANT}:${ADMIN_KEY},tenant_other:${OTHER_TENANT_KEY}`) },
    },
  });
  const projectUrl = `${server.url}/manage/tenants/${TENANT}/projects/${PROJECT}`;
  return {
    server,
    dbPath,
    stores,
    logs,
    bodies,
    projectUrl,
    async call(method, path, body, key = ADMIN_KEY) {
      const headers: Record<string, string> = {};
      if (key !== null) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const url = path.startsWith('http') ? path : `${projectUrl}${path}`;
      const response = await fetch(url, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await response.text();
      bodies.push(text);
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, text, body: parsed };
    },
  };
}

/** A valid web-client app body. */
export function webAppBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Docs widget',
    type: 'web_client',
    config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true } },
    ...overrides,
  };
}

/** Asserts the seed's problem+json shape and returns the body. */
export function expectProblem(reply: Reply, status: number, code: string): { detail: string } {
  if (reply.status !== status) throw new Error(`expected ${status} ${code}, got ${reply.status}: ${reply.text}`);
  const ct = reply.headers.get('content-type') ?? '';
  if (!ct.startsWith('application/problem+json')) throw new Error(`expected problem+json, got ${ct}`);
  const body = reply.body as { code?: string; status?: number; error?: { code?: string } | string; message?: string; details?: unknown; requestId?: string; title?: string; detail?: string };
  if (body.code !== code || body.status !== status) throw new Error(`expected code ${code}: ${reply.text}`);
  // Most routes nest {code, message} under `error`; credential DELETE carries seed 002's flat
  // {error: title, message: detail, details} instead (seed-error-body.ts).
  const nested = typeof body.error === 'object' && body.error?.code === code;
  const seedFlat = typeof body.error === 'string' && body.error === body.title && body.message === body.detail && body.details === null;
  if (!nested && !seedFlat) throw new Error(`expected an error member for ${code}: ${reply.text}`);
  if (!body.requestId?.startsWith('req_') || !body.title || typeof body.detail !== 'string') throw new Error(`incomplete problem: ${reply.text}`);
  return { detail: body.detail };
}
