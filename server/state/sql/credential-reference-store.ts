import type { Kysely } from 'kysely';
import { DuplicateIdError, type Page, type Scope } from '../app-store.js';
import { oneInScope, pageOf } from './scoped-rows.js';
import type { CredentialReference, CredentialReferenceStore } from '../credential-references.js';
import { isUniqueViolation } from './dialect-helpers.js';
import type { CredentialReferencesTable, Database } from './schema.js';

function toRow(ref: CredentialReference): CredentialReferencesTable {
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

function fromRow(row: CredentialReferencesTable): CredentialReference {
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

/** {@link CredentialReferenceStore} on SQLite or PostgreSQL (references only, never secrets). */
export class SqlCredentialReferenceStore implements CredentialReferenceStore {
  constructor(private readonly db: Kysely<Database>) {}

  list(scope: Scope, query: { page: number; limit: number }): Promise<Page<CredentialReference>> {
    return pageOf(this.db, 'credential_references', scope, query, fromRow);
  }

  get(scope: Scope, id: string): Promise<CredentialReference | undefined> {
    return oneInScope(this.db, 'credential_references', scope, id, fromRow);
  }

  async create(ref: CredentialReference): Promise<CredentialReference> {
    try {
      await this.db.insertInto('credential_references').values(toRow(ref)).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateIdError('Credential', ref.id);
      throw error;
    }
    return ref;
  }

  async update(previousId: string, ref: CredentialReference): Promise<CredentialReference | undefined> {
    const { tenant_id, project_id, ...changes } = toRow(ref);
    try {
      const result = await this.db
        .updateTable('credential_references')
        .set(changes)
        .where('tenant_id', '=', tenant_id)
        .where('project_id', '=', project_id)
        .where('id', '=', previousId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 0 ? undefined : ref;
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateIdError('Credential', ref.id);
      throw error;
    }
  }

  async delete(scope: Scope, id: string): Promise<CredentialReference | undefined> {
    const row = await this.db
      .deleteFrom('credential_references')
      .where('tenant_id', '=', scope.tenantId)
      .where('project_id', '=', scope.projectId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }
}
