import type Database from 'better-sqlite3';
import type { AppRecord } from './app-registry.js';
import { DuplicateIdError, pageCount, type AppStore, type Page, type Scope } from './app-store.js';

interface AppRow {
  id: string;
  tenant_id: string | null;
  project_id: string;
  name: string;
  description: string | null;
  type: AppRecord['type'];
  default_agent_id: string | null;
  enabled: number;
  config: string;
  last_used_at: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS =
  'id, tenant_id, project_id, name, description, type, default_agent_id, enabled, config, last_used_at, created_at, updated_at';
const VALUES =
  '@id, @tenant_id, @project_id, @name, @description, @type, @default_agent_id, @enabled, @config, @last_used_at, @created_at, @updated_at';

function toRow(app: AppRecord): AppRow {
  return {
    id: app.id,
    tenant_id: app.tenantId,
    project_id: app.projectId,
    name: app.name,
    description: app.description,
    type: app.type,
    default_agent_id: app.defaultAgentId,
    enabled: app.enabled ? 1 : 0,
    config: JSON.stringify(app.config),
    last_used_at: app.lastUsedAt,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
  };
}

function fromRow(row: AppRow): AppRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    projectId: row.project_id,
    name: row.name,
    description: row.description,
    type: row.type,
    defaultAgentId: row.default_agent_id,
    enabled: row.enabled === 1,
    config: JSON.parse(row.config) as AppRecord['config'],
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** `AppStore` on a better-sqlite3 database (synchronous underneath, async to callers). */
export class SqliteAppStore implements AppStore {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      get: db.prepare<[string], AppRow>(`SELECT ${COLUMNS} FROM apps WHERE id = ?`),
      getInScope: db.prepare<[string, string, string], AppRow>(
        `SELECT ${COLUMNS} FROM apps WHERE tenant_id = ? AND project_id = ? AND id = ?`,
      ),
      markUsed: db.prepare<[string, string]>('UPDATE apps SET last_used_at = ? WHERE id = ?'),
      count: db.prepare<[string, string, string | null, string | null], { n: number }>(
        'SELECT COUNT(*) AS n FROM apps WHERE tenant_id = ? AND project_id = ? AND (? IS NULL OR type = ?)',
      ),
      page: db.prepare<[string, string, string | null, string | null, number, number], AppRow>(
        `SELECT ${COLUMNS} FROM apps WHERE tenant_id = ? AND project_id = ? AND (? IS NULL OR type = ?)
         ORDER BY created_at, id LIMIT ? OFFSET ?`,
      ),
      insert: db.prepare<[AppRow]>(`INSERT INTO apps (${COLUMNS}) VALUES (${VALUES})`),
      replace: db.prepare<[AppRow]>(
        `UPDATE apps SET name = @name, description = @description, type = @type, default_agent_id = @default_agent_id,
           enabled = @enabled, config = @config, updated_at = @updated_at
         WHERE id = @id AND tenant_id IS @tenant_id AND project_id = @project_id`,
      ),
      upsert: db.prepare<[AppRow]>(
        `INSERT INTO apps (${COLUMNS}) VALUES (${VALUES})
         ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, project_id = excluded.project_id,
           name = excluded.name, description = excluded.description, type = excluded.type,
           default_agent_id = excluded.default_agent_id, enabled = excluded.enabled, config = excluded.config,
           updated_at = excluded.updated_at`,
      ),
      delete: db.prepare<[string, string, string]>('DELETE FROM apps WHERE tenant_id = ? AND project_id = ? AND id = ?'),
    };
  }

  async get(appId: string): Promise<AppRecord | undefined> {
    const row = this.stmt.get.get(appId);
    return row ? fromRow(row) : undefined;
  }

  async markUsed(appId: string, at: Date): Promise<void> {
    this.stmt.markUsed.run(at.toISOString(), appId);
  }

  async list(scope: Scope, query: { page: number; limit: number; type?: AppRecord['type'] }): Promise<Page<AppRecord>> {
    const type = query.type ?? null;
    const total = this.stmt.count.get(scope.tenantId, scope.projectId, type, type)?.n ?? 0;
    const rows = this.stmt.page.all(scope.tenantId, scope.projectId, type, type, query.limit, (query.page - 1) * query.limit);
    return {
      data: rows.map(fromRow),
      pagination: { page: query.page, limit: query.limit, total, pages: pageCount(total, query.limit) },
    };
  }

  async getInScope(scope: Scope, id: string): Promise<AppRecord | undefined> {
    const row = this.stmt.getInScope.get(scope.tenantId, scope.projectId, id);
    return row ? fromRow(row) : undefined;
  }

  async create(app: AppRecord): Promise<AppRecord> {
    try {
      this.stmt.insert.run(toRow(app));
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateIdError('App', app.id);
      throw err;
    }
    return app;
  }

  async update(app: AppRecord): Promise<AppRecord | undefined> {
    const changed = this.stmt.replace.run(toRow(app)).changes;
    return changed === 0 ? undefined : this.get(app.id);
  }

  async delete(scope: Scope, id: string): Promise<boolean> {
    return this.stmt.delete.run(scope.tenantId, scope.projectId, id).changes > 0;
  }

  async upsert(app: AppRecord): Promise<void> {
    this.stmt.upsert.run(toRow(app));
  }
}

/** better-sqlite3 reports constraint failures through `code`. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
