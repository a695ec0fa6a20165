import type { Page } from './types.js';

/**
 * Iterates every item of a paged list, fetching page after page until the
 * server's `pages` count (or an empty page) says there are no more.
 *
 * @param fetchPage loads one page (1-based)
 * @example for await (const app of paginate((page) => client.listApps({ page, limit: 100 }))) …
 */
export async function* paginate<T>(fetchPage: (page: number) => Promise<Page<T>>): AsyncGenerator<T, void, undefined> {
  for (let page = 1; ; page++) {
    const result = await fetchPage(page);
    yield* result.data;
    if (result.data.length === 0 || page >= result.pagination.pages) return;
  }
}
