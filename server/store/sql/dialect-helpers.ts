import { sql, type Expression, type RawBuilder } from 'kysely';
import type { SqlEngine } from './schema.js';

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
