import type { Kysely } from 'kysely';
import { withConfigDefaults, type AppRecord } from '../app-registry.js';
import { DuplicateIdError, UnavailableIdError, type AppListQuery, type AppStore, type Page, type Scope } from '../app-store.js';
import { oneInScope, pageOf } from './scoped-rows.js';
import { isUniqueViolation } from './dialect-helpers.js';
import type { AppsTable, Database } from './schema.js';

/** The row of `app`: its own fields only, `enabled` as 0/1 and `config` as JSON text. */
function toRow(app: AppRecord): AppsTable {
  const { id, tenantId, projectId, name, description, type, defaultAgentId, enabled, config, lastUsedAt, createdAt, updatedAt } = app;
  const row = { id, tenantId, projectId, name, description, type, defaultAgentId, lastUsedAt, createdAt, updatedAt };
  return { ...row, enabled: enabled ? 1 : 0, config: JSON.stringify(config) };
}

/**
 * The record of a row, its fields named one by one (a column added later reaches no API answer
 * unless it is added here); `enabled` and `config` are decoded.
 */
function fromRow(row: AppsTable): AppRecord {
  const { id, tenantId, projectId, name, description, type, defaultAgentId, lastUsedAt, createdAt, updatedAt } = row;
  const enabled = row.enabled === 1;
  const config = withConfigDefaults(JSON.parse(row.config) as AppRecord['config']);
  return { id, tenantId, projectId, name, description, type, defaultAgentId, enabled, config, lastUsedAt, createdAt, updatedAt };
}

/** `lastUsedAt` is rewritten at most this often, so issuing a session is not a write each time. */
const LAST_USED_PRECISION_MS = 60_000;

/**
 * {@link AppStore} on SQLite or PostgreSQL. A deleted app leaves a tombstone (id, tenant,
 * project, when): its tenant may not re-create the id (409 as for a live app) and no other
 * tenant ever may (`UnavailableIdError`), so tokens and keys minted for the old app can never
 * reach another tenant's app of the same id.
 */
export class SqlAppStore implements AppStore {
  // When this process last wrote each app's lastUsedAt, so most sessions skip the statement.
  readonly #markedAt = new Map<string, number>();

  constructor(private readonly db: Kysely<Database>) {}

  async get(appId: string): Promise<AppRecord | undefined> {
    const row = await this.db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async markUsed(appId: string, at: Date): Promise<void> {
    const marked = this.#markedAt.get(appId);
    if (marked !== undefined && at.getTime() - marked < LAST_USED_PRECISION_MS) return;
    if (this.#markedAt.size >= 10_000) this.#markedAt.clear();
    this.#markedAt.set(appId, at.getTime());
    const stale = new Date(at.getTime() - LAST_USED_PRECISION_MS).toISOString();
    await this.db
      .updateTable('apps')
      .set({ lastUsedAt: at.toISOString() })
      .where('id', '=', appId)
      .where((eb) => eb.or([eb('lastUsedAt', 'is', null), eb('lastUsedAt', '<', stale)]))
      .execute();
  }

  list(scope: Scope, query: AppListQuery): Promise<Page<AppRecord>> {
    return pageOf(this.db, 'apps', scope, query, fromRow, { type: query.type, defaultAgentId: query.defaultAgentId });
  }

  getInScope(scope: Scope, id: string): Promise<AppRecord | undefined> {
    return oneInScope(this.db, 'apps', scope, id, fromRow);
  }

  async create(app: AppRecord): Promise<AppRecord> {
    await this.#refuseTakenId(app);
    try {
      await this.db.insertInto('apps').values(toRow(app)).execute();
    } catch (error) {
      if (isUniqueViolation(error)) await this.#refuseTakenId(app);
      throw error;
    }
    return app;
  }

  async update(app: AppRecord): Promise<AppRecord | undefined> {
    const row = toRow(app);
    const result = await this.db
      .updateTable('apps')
      .set({
        name: row.name,
        description: row.description,
        type: row.type,
        defaultAgentId: row.defaultAgentId,
        enabled: row.enabled,
        config: row.config,
        updatedAt: row.updatedAt,
      })
      .where('id', '=', app.id)
      .where('tenantId', 'is not distinct from', app.tenantId)
      .where('projectId', '=', app.projectId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 0 ? undefined : this.get(app.id);
  }

  async delete(scope: Scope, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const gone = await trx
        .deleteFrom('apps')
        .where('tenantId', '=', scope.tenantId)
        .where('projectId', '=', scope.projectId)
        .where('id', '=', id)
        .returning(['id', 'tenantId', 'projectId'])
        .executeTakeFirst();
      if (!gone) return false;
      await trx
        .insertInto('app_tombstones')
        .values({ ...gone, deletedAt: new Date().toISOString() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      return true;
    });
  }

  async upsert(app: AppRecord): Promise<'inserted' | 'updated' | 'refused'> {
    try {
      await this.create(app);
      return 'inserted';
    } catch (error) {
      if (!(error instanceof DuplicateIdError)) throw error;
    }
    return (await this.update(app)) ? 'updated' : 'refused';
  }

  // Same tenant (live or deleted id): DuplicateIdError, the usual 409. Another tenant: one
  // fixed refusal whether the id is live or deleted, so nothing about the holder leaks.
  async #refuseTakenId(app: AppRecord): Promise<void> {
    const holder =
      (await this.db.selectFrom('apps').select('tenantId').where('id', '=', app.id).executeTakeFirst()) ??
      (await this.db.selectFrom('app_tombstones').select('tenantId').where('id', '=', app.id).executeTakeFirst());
    if (!holder) return;
    if (holder.tenantId === app.tenantId) throw new DuplicateIdError('App', app.id);
    throw new UnavailableIdError('App', app.id);
  }
}
