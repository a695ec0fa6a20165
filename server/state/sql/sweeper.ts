import { SWEEP_BATCH } from './dialect-helpers.js';

/** A table whose dead rows can be deleted one bounded batch at a time. */
export interface Sweepable {
  name: string;
  /** Deletes at most one batch; resolves with how many rows went. */
  sweep(): Promise<number>;
}

/** Most batches per table per pass: a pass deletes at most this × {@link SWEEP_BATCH} rows a table. */
export const MAX_BATCHES_PER_PASS = 100;

/** One pass over every table: batches until a table has nothing left or the cap is reached. */
export async function sweepOnce(tables: readonly Sweepable[], log: (line: string) => void): Promise<void> {
  for (const table of tables) {
    try {
      for (let batch = 0; batch < MAX_BATCHES_PER_PASS; batch++) {
        if ((await table.sweep()) < SWEEP_BATCH) break;
      }
    } catch (error) {
      // Only the class: the database may be away, and driver messages may quote connection details.
      log(`[ink-auth] state sweep of ${table.name} failed (${error instanceof Error ? error.name : 'error'}); retrying next pass.`);
    }
  }
}

/** Runs {@link sweepOnce} every `intervalMs` (never overlapping) until the returned stop is called. */
export function startSweeper(tables: readonly Sweepable[], intervalMs: number, log: (line: string) => void): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= sweepOnce(tables, log).finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
