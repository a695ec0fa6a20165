import autocannon from 'autocannon';
import type { ChatRateLimits } from '../server/chat/chat-rate-limits.js';

const UNBOUNDED = { burst: Number.MAX_SAFE_INTEGER, perMinute: Number.MAX_SAFE_INTEGER };

/**
 * The throughput scenarios send a whole crowd's chats with one token from one address, so the
 * per-identity and per-address budgets (tested on their own, and by the slow-reader attack)
 * are lifted on the servers they measure.
 */
export const CROWD_CHAT_RATE_LIMITS: ChatRateLimits = {
  chatPerIdentity: UNBOUNDED,
  chatPerAddress: UNBOUNDED,
  historyPerIdentity: UNBOUNDED,
  historyPerAddress: UNBOUNDED,
  streamsPerIdentity: Number.MAX_SAFE_INTEGER,
  streamsPerAddress: Number.MAX_SAFE_INTEGER,
};

/** One scenario's figures. `unexpected` lists every check it failed. */
export interface ScenarioResult {
  name: string;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
  unexpected: string[];
}

/** Runs one autocannon scenario on loopback and lists every check it failed. */
export async function scenario(name: string, options: autocannon.Options): Promise<ScenarioResult> {
  const url = new URL(options.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`load runs on loopback only, not ${url.hostname}`);
  const result = await autocannon({ ...options, timeout: 10 });
  const statusCounts: Record<string, number> = {};
  for (const [status, stat] of Object.entries(result.statusCodeStats ?? {})) statusCounts[status] = stat.count ?? 0;
  const unexpected: string[] = [];
  if (result.errors > 0) unexpected.push(`${name}: ${result.errors} connection errors`);
  if (result.timeouts > 0) unexpected.push(`${name}: ${result.timeouts} timeouts`);
  // Every request in these scenarios is meant to succeed; any other status is unintended.
  if (result.non2xx > 0) unexpected.push(`${name}: ${result.non2xx} non-2xx responses ${JSON.stringify(statusCounts)}`);
  if (result['2xx'] === 0) unexpected.push(`${name}: no successful response`);
  return {
    name,
    requests: result.requests.total,
    reqPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
    unexpected,
  };
}
