import type { Kysely } from 'kysely';
import { DuplicateIdError, type Page, type Scope } from '../app-store.js';
import { oneInScope, pageOf } from './scoped-rows.js';
import type { CredentialReference, CredentialReferenceStore } from '../credential-references.js';
import { isUniqueViolation } from './dialect-helpers.js';
import type { CredentialReferencesTable, Database } from './schema.js';

/** The row of `ref`: its own fields only, `retrievalParams` as JSON text. */
function toRow(ref: CredentialReference): CredentialReferencesTable {
  const { tenantId, projectId, id, name, type, credentialStoreId, retrievalParams, toolId, userId, createdBy, createdAt, updatedAt } = ref;
  const row = { tenantId, projectId, id, name, type, credentialStoreId, toolId, userId, createdBy, createdAt, updatedAt };
  return { ...row, retrievalParams: retrievalParams === null ? null : JSON.stringify(retrievalParams) };
}

/**
 * The record of a row, its fields named one by one (a column added later reaches no API answer
 * unless it is added here); `retrievalParams` is decoded.
 */
function fromRow(row: CredentialReferencesTable): CredentialReference {
  const { tenantId, projectId, id, name, type, credentialStoreId, toolId, userId, createdBy, createdAt, updatedAt } = row;
  const retrievalParams = row.retrievalParams === null ? null : (JSON.parse(row.retrievalParams) as Record<string, unknown>);
  return { tenantId, projectId, id, name, type, credentialStoreId, retrievalParams, toolId, userId, createdBy, createdAt, updatedAt };
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
    const { tenantId, projectId, ...changes } = toRow(ref);
    try {
      const result = await this.db
        .updateTable('credential_references')
        .set(changes)
        .where('tenantId', '=', tenantId)
        .where('projectId', '=', projectId)
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
      .where('tenantId', '=', scope.tenantId)
      .where('projectId', '=', scope.projectId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }
}
