import { ServerError } from '../../core/errors.js';

/** Reads `page` (≥ 1, default 1) and `limit` (1 … `max`, default `fallback`) of a run-API listing; 400 otherwise. */
export function runPagination(
  query: (name: string) => string | undefined,
  limits: { fallback: number; max: number },
): { page: number; limit: number } {
  const read = (name: string, fallback: number, max: number): number => {
    const raw = query(name);
    if (raw === undefined || raw === '') return fallback;
    const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= 1 && value <= max)) {
      throw new ServerError('bad_request', `Validation failed: '${name}' must be a whole number between 1 and ${max}`);
    }
    return value;
  };
  return { page: read('page', 1, 1_000_000), limit: read('limit', limits.fallback, limits.max) };
}
