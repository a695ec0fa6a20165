import type Database from 'better-sqlite3';
import { DuplicateIdError, pageCount, type Page, type Scope } from './app-store.js';
import type { CredentialReference, CredentialReferenceStore } from './credential-references.js';
import { isUniqueViolation } from './sqlite-app-store.js';

interface CredentialRow {
  tenant_id: string;
  project_id: string;
  id: string;
  name: string;
  type: CredentialReference['type'];
  credential_store_id: string;
  retrieval_params: string | null;
  tool_id: string | null;
  user_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS =
  'tenant_id, project_id, id, name, type, credential_store_id, retrieval_params, tool_id, user_id, created_by, created_at, updated_at';

function toRow(ref: CredentialReference): CredentialRow {
  return {
    tenant_id: ref.tenantId,
    project_id: ref.projectId,
    id: ref.id,
    name: ref.name,
    type: ref.type,
    credential_store_id: ref.credentialStoreId,
    retrieval_params: ref.retrievalParams === null ? null : JSON.stringify(ref.retrievalParams),
    tool_id: ref.toolId,
    user_id: ref.userId,
    created_by: ref.createdBy,
    created_at: ref.createdAt,
    updated_at: ref.updatedAt,
  };
}

function fromRow(row: CredentialRow): CredentialReference {
  return {
    tenantId: row.tenant_id,
    projectId: row.project_id,
    id: row.id,
    name: row.name,
    type: row.type,
    credentialStoreId: row.credential_store_id,
    retrievalParams: row.retrieval_params === null ? null : (JSON.parse(row.retrieval_params) as Record<string, unknown>),
    toolId: row.tool_id,
    userId: row.user_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** `CredentialReferenceStore` on a better-sqlite3 database. */
export class SqliteCredentialReferenceStore implements CredentialReferenceStore {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      get: db.prepare<[string, string, string], CredentialRow>(
        `SELECT ${COLUMNS} FROM credential_references WHERE tenant_id = ? AND project_id = ? AND id = ?`,
      ),
      count: db.prepare<[string, string], { n: number }>(
        'SELECT COUNT(*) AS n FROM credential_references WHERE tenant_id = ? AND project_id = ?',
      ),
      page: db.prepare<[string, string, number, number], CredentialRow>(
        `SELECT ${COLUMNS} FROM credential_references WHERE tenant_id = ? AND project_id = ?
         ORDER BY created_at, id LIMIT ? OFFSET ?`,
      ),
      insert: db.prepare<[CredentialRow]>(
        `INSERT INTO credential_references (${COLUMNS}) VALUES (@tenant_id, @project_id, @id, @name, @type,
           @credential_store_id, @retrieval_params, @tool_id, @user_id, @created_by, @created_at, @updated_at)`,
      ),
      replace: db.prepare<[CredentialRow & { previous_id: string }]>(
        `UPDATE credential_references SET id = @id, name = @name, type = @type, credential_store_id = @credential_store_id,
           retrieval_params = @retrieval_params, tool_id = @tool_id, user_id = @user_id, created_by = @created_by,
           created_at = @created_at, updated_at = @updated_at
         WHERE tenant_id = @tenant_id AND project_id = @project_id AND id = @previous_id`,
      ),
      delete: db.prepare<[string, string, string]>(
        'DELETE FROM credential_references WHERE tenant_id = ? AND project_id = ? AND id = ?',
      ),
    };
  }

  async list(scope: Scope, query: { page: number; limit: number }): Promise<Page<CredentialReference>> {
    const total = this.stmt.count.get(scope.tenantId, scope.projectId)?.n ?? 0;
    const rows = this.stmt.page.all(scope.tenantId, scope.projectId, query.limit, (query.page - 1) * query.limit);
    return {
      data: rows.map(fromRow),
      pagination: { page: query.page, limit: query.limit, total, pages: pageCount(total, query.limit) },
    };
  }

  async get(scope: Scope, id: string): Promise<CredentialReference | undefined> {
    const row = this.stmt.get.get(scope.tenantId, scope.projectId, id);
    return row ? fromRow(row) : undefined;
  }

  async create(ref: CredentialReference): Promise<CredentialReference> {
    try {
      this.stmt.insert.run(toRow(ref));
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateIdError('Credential', ref.id);
      throw err;
    }
    return ref;
  }

  async update(previousId: string, ref: CredentialReference): Promise<CredentialReference | undefined> {
    let changes: number;
    try {
      changes = this.stmt.replace.run({ ...toRow(ref), previous_id: previousId }).changes;
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateIdError('Credential', ref.id);
      throw err;
    }
    return changes === 0 ? undefined : ref;
  }

  async delete(scope: Scope, id: string): Promise<CredentialReference | undefined> {
    // Read and delete in one transaction so the returned row is the one removed.
    return this.db.transaction(() => {
      const row = this.stmt.get.get(scope.tenantId, scope.projectId, id);
      if (!row) return undefined;
      this.stmt.delete.run(scope.tenantId, scope.projectId, id);
      return fromRow(row);
    })();
  }
}
