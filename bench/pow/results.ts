import { readFile, writeFile } from 'node:fs/promises';

/**
 * Writes `value` under `key` in the results file, keeping every other key
 * (several benchmarks share bench/results.json).
 */
export async function mergeResults(file: string, key: string, value: unknown): Promise<void> {
  let existing: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) existing = parsed as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  existing[key] = value;
  await writeFile(file, `${JSON.stringify(existing, null, 2)}\n`);
}
