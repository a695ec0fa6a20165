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

/** Thrown by `create` when the id is already taken (maps to 409 `conflict`). */
export class DuplicateIdError extends Error {
  readonly code = 'conflict';
  constructor(readonly kind: string, readonly id: string) {
    super(`${kind} '${id}' already exists`);
    this.name = 'DuplicateIdError';
  }
}

/**
 * The app registry plus the writes the manage API needs. The anonymous-session
 * route reads through `get`, so a write here is visible to it at once.
 * Implemented by `SqliteAppStore`; a PostgreSQL implementation would implement
 * the same interface (every method is already async).
 */
export interface AppStore extends AppRegistry {
  list(scope: Scope, query: { page: number; limit: number; type?: AppRecord['type'] }): Promise<Page<AppRecord>>;
  /** Like `get`, but only inside the given tenant and project. */
  getInScope(scope: Scope, id: string): Promise<AppRecord | undefined>;
  /** Inserts a new app; throws `DuplicateIdError` when the id exists. */
  create(app: AppRecord): Promise<AppRecord>;
  /** Replaces a stored app inside its scope; `undefined` when it does not exist. */
  update(app: AppRecord): Promise<AppRecord | undefined>;
  /** Deletes inside the scope; `false` when nothing was deleted. */
  delete(scope: Scope, id: string): Promise<boolean>;
  /** Inserts or overwrites (keeping `createdAt`/`lastUsedAt`): used to seed apps from config at start. */
  upsert(app: AppRecord): Promise<void>;
}

/** Number of pages for a total, never below zero. */
export function pageCount(total: number, limit: number): number {
  return Math.ceil(total / limit);
}
