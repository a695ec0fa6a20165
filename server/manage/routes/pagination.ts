import { invalid } from './validation.js';

/** Largest page size any list endpoint accepts. */
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 10;

function integerParam(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) invalid(name, 'must be a whole number');
  const value = Number(raw);
  if (value < min || value > max) invalid(name, max === Number.MAX_SAFE_INTEGER ? `must be at least ${min}` : `must be between ${min} and ${max}`);
  return value;
}

/** Reads `page` (≥ 1, default 1) and `limit` (1…100, default 10) from a query; 400 otherwise. */
export function parsePagination(query: { page?: string | undefined; limit?: string | undefined }): { page: number; limit: number } {
  return {
    page: integerParam('page', query.page, 1, 1, Number.MAX_SAFE_INTEGER),
    limit: integerParam('limit', query.limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
  };
}
