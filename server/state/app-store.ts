import { ServerError } from '../core/errors.js';
import type { AppRecord, AppRegistry } from './app-registry.js';

/** One page of a listing, in the manage API's shape. */
export interface Page<T> {
  data: T[];
  pagination: { page: number; limit: number; total: number; pages: number };
}

/** Where a record lives: every manage call is scoped to one tenant and project. */
export interface Scope {
  tenantId: string;
  projectId: string;
}

/** Thrown by `create` when the id is already taken: `conflict`, reason `id_taken`. */
export class DuplicateIdError extends ServerError {
  constructor(
    readonly kind: string,
    readonly id: string,
    detail = `${kind} '${id}' already exists`,
    reason = 'id_taken',
  ) {
    super('conflict', detail, { reason });
    this.name = 'DuplicateIdError';
  }
}

/**
 * Thrown by `create` when the id belongs, or belonged, to another tenant: `conflict`, reason
 * `id_unavailable`, with a fixed detail that names neither the tenant nor whether the app still
 * exists. App ids are one global namespace, so a deleted id stays reserved for the tenant that
 * deleted it. A `DuplicateIdError` too, so an upsert treats both as "the id exists".
 */
export class UnavailableIdError extends DuplicateIdError {
  constructor(kind: string, id: string) {
    super(kind, id, `${kind} id '${id}' is not available; choose another id or omit it.`, 'id_unavailable');
    this.name = 'UnavailableIdError';
  }
}

/** Which apps {@link AppStore.list} answers. */
export interface AppListQuery {
  page: number;
  limit: number;
  type?: AppRecord['type'];
  defaultAgentId?: string;
}

/**
 * The app registry plus the writes the manage API needs. The anonymous-session
 * route reads through `get`, so a write here is visible to it at once.
 * Implemented by `SqlAppStore` on SQLite and PostgreSQL.
 */
export interface AppStore extends AppRegistry {
  /** A page of the scope's apps, oldest first; only those of `type`, or whose default agent is `defaultAgentId`, when given. */
  list(scope: Scope, query: AppListQuery): Promise<Page<AppRecord>>;
  /** Like `get`, but only inside the given tenant and project. */
  getInScope(scope: Scope, id: string): Promise<AppRecord | undefined>;
  /**
   * Inserts a new app; throws `DuplicateIdError` when the id exists or was deleted in the same
   * tenant, `UnavailableIdError` when another tenant holds or held it.
   */
  create(app: AppRecord): Promise<AppRecord>;
  /** Replaces a stored app inside its scope; `undefined` when it does not exist. */
  update(app: AppRecord): Promise<AppRecord | undefined>;
  /** Deletes inside the scope, keeping the id as a tombstone of its tenant; `false` when nothing was deleted. */
  delete(scope: Scope, id: string): Promise<boolean>;
  /**
   * Inserts, or overwrites an app of the same tenant and project (keeping `createdAt`/`lastUsedAt`).
   * Never moves an app to another tenant and never revives a deleted id: returns what it did.
   */
  upsert(app: AppRecord): Promise<'inserted' | 'updated' | 'refused'>;
}

/** Which page of a listing is asked for (1-based) and how many items a page holds. */
export interface PageQuery {
  page: number;
  limit: number;
}

/** The page `query` asked for, holding `data`, out of `total` items. */
export function toPage<T>(data: T[], total: number, query: PageQuery): Page<T> {
  return { data, pagination: { page: query.page, limit: query.limit, total, pages: Math.ceil(total / query.limit) } };
}

/** The page `query` asks for of items held in memory, already in listing order. */
export function slicePage<T>(items: readonly T[], query: PageQuery): Page<T> {
  const start = (query.page - 1) * query.limit;
  return toPage(items.slice(start, start + query.limit), items.length, query);
}
