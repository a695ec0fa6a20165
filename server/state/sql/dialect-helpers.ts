import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { Database, SqlEngine } from './schema.js';

/** Whether `error` is a primary-key or unique violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** The smaller of two numbers: `min(a, b)` on SQLite, `LEAST(a, b)` on PostgreSQL. */
export function smaller(engine: SqlEngine, a: Expression<number>, b: Expression<number>): RawBuilder<number> {
  return engine === 'postgres' ? sql<number>`LEAST(${a}, ${b})` : sql<number>`min(${a}, ${b})`;
}

/** The larger of two numbers: `max(a, b)` on SQLite, `GREATEST(a, b)` on PostgreSQL. */
export function larger(engine: SqlEngine, a: Expression<number>, b: Expression<number>): RawBuilder<number> {
  return engine === 'postgres' ? sql<number>`GREATEST(${a}, ${b})` : sql<number>`max(${a}, ${b})`;
}

/** A JS number bound as a double on both engines (PostgreSQL would otherwise infer bigint arithmetic). */
export const double = (value: number): RawBuilder<number> => sql<number>`CAST(${value} AS double precision)`;

/** Bounded deletion: at most `limit` rows matching `where`, by primary key, in one statement. */
export const SWEEP_BATCH = 500;

/**
 * Which rows of a table a sweep deletes: those whose `expiresAt` column is before the cutoff.
 * Columns are named as in schema.ts: they reach the SQL through `sql.ref`, which the camelCase
 * plugin snake-cases like any other identifier.
 */
export interface SweepSpec<T extends keyof Database> {
  table: T;
  /** The primary key column. */
  key: keyof Database[T] & string;
  /** Epoch-milliseconds column compared with the cutoff. */
  expiresAt: keyof Database[T] & string;
  /** `true`: a row expiring exactly at the cutoff goes too (`<=`); otherwise `<`. */
  inclusive: boolean;
}

/**
 * Deletes one batch ({@link SWEEP_BATCH}) of expired rows, by primary key, in one statement on
 * both dialects; returns how many went. The names come from the stores, never from input.
 */
export async function sweepBatch<T extends keyof Database>(db: Kysely<Database>, spec: SweepSpec<T>, cutoffMs: number): Promise<number> {
  const op = sql.raw(spec.inclusive ? '<=' : '<');
  const result = await sql`DELETE FROM ${sql.table(spec.table)} WHERE ${sql.ref(spec.key)} IN (
    SELECT ${sql.ref(spec.key)} FROM ${sql.table(spec.table)} WHERE ${sql.ref(spec.expiresAt)} ${op} ${cutoffMs} LIMIT ${SWEEP_BATCH})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
