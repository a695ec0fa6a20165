/**
 * The attack scenario of `npm run load`: one address floods the PoW endpoints (challenges and
 * sessions with bogus solutions, as fast as it can) while a well-behaved client on another
 * address asks for a real session once a second. Reports what the well-behaved client sees.
 */
import http from 'node:http';
import { solveChallenge } from 'altcha-lib/v1';
import type { Challenge } from 'altcha-lib/v1/types';

export interface FloodOptions {
  /** `http://127.0.0.1:PORT` of a server with PoW on. */
  url: string;
  appId: string;
  origin: string;
  seconds: number;
  /** Concurrent request loops of the flooding address. Default 32. */
  floodLoops?: number;
  floodAddress?: string;
  clientAddress?: string;
}

export interface FloodResult {
  name: string;
  /** The well-behaved client's sessions: attempts, successes, and latency of a whole acquisition (challenge, solve, session). */
  client: { attempts: number; successes: number; successRate: number; p50Ms: number; p99Ms: number; statusCounts: Record<string, number> };
  /** What the flood sent and got back. */
  flood: { requests: number; statusCounts: Record<string, number>; lastMaxnumber: number };
  unexpected: string[];
}

interface Answer {
  status: number;
  body: string;
}

function request(url: string, localAddress: string, agent: http.Agent, init: { method: string; path: string; headers?: Record<string, string> }): Promise<Answer> {
  const target = new URL(init.path, url);
  if (target.hostname !== '127.0.0.1') throw new Error(`load runs on loopback only, not ${target.hostname}`);
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port: target.port, path: target.pathname, method: init.method, headers: init.headers, localAddress, agent, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
const count = (counts: Record<string, number>, status: number) => void (counts[String(status)] = (counts[String(status)] ?? 0) + 1);

/** Runs the flood and the well-behaved client side by side for `seconds`; both stop by themselves. */
export async function floodVersusWellBehaved(options: FloodOptions): Promise<FloodResult> {
  const { url, appId, origin } = options;
  const floodAddress = options.floodAddress ?? '127.0.0.2';
  const clientAddress = options.clientAddress ?? '127.0.0.3';
  const deadline = Date.now() + options.seconds * 1000;
  const floodAgent = new http.Agent({ keepAlive: true, maxSockets: options.floodLoops ?? 32 });
  const clientAgent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const sessionPath = `/run/auth/apps/${appId}/anonymous-session`;
  const flood = { requests: 0, statusCounts: {} as Record<string, number>, lastMaxnumber: 0 };
  const bogus = Buffer.from(JSON.stringify({ algorithm: 'SHA-256', challenge: '0'.repeat(64), number: 1, salt: 'x?expires=9999999999', signature: '0'.repeat(64) })).toString('base64');

  const floodLoop = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const challenge = await request(url, floodAddress, floodAgent, { method: 'GET', path: '/run/auth/pow/challenge' });
      count(flood.statusCounts, challenge.status);
      if (challenge.status === 200) flood.lastMaxnumber = (JSON.parse(challenge.body) as { maxnumber: number }).maxnumber;
      const session = await request(url, floodAddress, floodAgent, { method: 'POST', path: sessionPath, headers: { origin, 'x-inkeep-challenge-solution': bogus } });
      count(flood.statusCounts, session.status);
      flood.requests += 2;
    }
  };

  const client = { attempts: 0, successes: 0, latencies: [] as number[], statusCounts: {} as Record<string, number> };
  const clientLoop = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const started = performance.now();
      client.attempts += 1;
      const challenge = await request(url, clientAddress, clientAgent, { method: 'GET', path: '/run/auth/pow/challenge' });
      let status = challenge.status;
      if (status === 200) {
        const served = JSON.parse(challenge.body) as Challenge;
        const solution = await solveChallenge(served.challenge, served.salt, served.algorithm, served.maxnumber).promise;
        const { algorithm, challenge: hash, salt, signature } = served;
        const payload = solution ? Buffer.from(JSON.stringify({ algorithm, challenge: hash, number: solution.number, salt, signature })).toString('base64') : '';
        status = (await request(url, clientAddress, clientAgent, { method: 'POST', path: sessionPath, headers: { origin, 'x-inkeep-challenge-solution': payload } })).status;
      }
      count(client.statusCounts, status);
      if (status === 200) client.successes += 1;
      const took = performance.now() - started;
      client.latencies.push(took);
      // A real page asks for a session rarely; once a second is already a busy one.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - took)));
    }
  };

  await Promise.all([clientLoop(), ...Array.from({ length: options.floodLoops ?? 32 }, floodLoop)]);
  floodAgent.destroy();
  clientAgent.destroy();
  const sorted = [...client.latencies].sort((a, b) => a - b);
  const successRate = client.attempts === 0 ? 0 : client.successes / client.attempts;
  const unexpected: string[] = [];
  if (client.attempts === 0) unexpected.push('flood: the well-behaved client made no attempt');
  if (client.successes !== client.attempts) {
    unexpected.push(`flood: the well-behaved client got ${client.successes}/${client.attempts} sessions ${JSON.stringify(client.statusCounts)}`);
  }
  return {
    name: 'flood vs client',
    client: { attempts: client.attempts, successes: client.successes, successRate, p50Ms: Math.round(percentile(sorted, 50)), p99Ms: Math.round(percentile(sorted, 99)), statusCounts: client.statusCounts },
    flood,
    unexpected,
  };
}
