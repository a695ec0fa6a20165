import { sql, type Kysely, type Selectable } from 'kysely';
import { toPage, type Page, type Scope } from '../app-store.js';
import type { Database } from './schema.js';

/** Tables whose rows belong to one tenant's project and are listed oldest first. */
export type ScopedTable = 'apps' | 'credential_references' | 'service_api_keys';

type Row<T extends ScopedTable> = Selectable<Database[T]>;

/** The rows of `table` in `scope`. */
function inScope<T extends ScopedTable>(db: Kysely<Database>, table: T, scope: Scope) {
  return (db as Kysely<Database>)
    .selectFrom(table as ScopedTable)
    .where('tenantId', '=', scope.tenantId)
    .where('projectId', '=', scope.projectId);
}

/**
 * One page of `table`'s rows in `scope`, oldest first (`createdAt`, then `id`), mapped with
 * `toRecord`, with the hosted API's pagination (`page` is 1-based). `equals` narrows it to rows
 * whose columns (camelCase, as in schema.ts) hold the given values (an `undefined` value filters
 * nothing).
 */
export async function pageOf<T extends ScopedTable, R>(
  db: Kysely<Database>,
  table: T,
  scope: Scope,
  query: { page: number; limit: number },
  toRecord: (row: Row<T>) => R,
  equals: Readonly<Record<string, string | undefined>> = {},
): Promise<Page<R>> {
  let rowsInScope = inScope(db, table, scope);
  for (const [column, value] of Object.entries(equals)) {
    if (value !== undefined) rowsInScope = rowsInScope.where((eb) => eb(sql.ref(column), '=', value));
  }
  const { total } = await rowsInScope.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await rowsInScope
    .selectAll()
    .orderBy('createdAt')
    .orderBy('id')
    .limit(query.limit)
    .offset((query.page - 1) * query.limit)
    .execute();
  return toPage((rows as Row<T>[]).map(toRecord), Number(total), query);
}

/** The row `id` of `table` in `scope`, mapped with `toRecord`; `undefined` when there is none there. */
export async function oneInScope<T extends ScopedTable, R>(
  db: Kysely<Database>,
  table: T,
  scope: Scope,
  id: string,
  toRecord: (row: Row<T>) => R,
): Promise<R | undefined> {
  const row = await inScope(db, table, scope).selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row as Row<T>) : undefined;
}
