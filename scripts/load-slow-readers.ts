/**
 * The slow-reader attack scenario of `npm run load`: 40 sockets from two addresses pipeline
 * chats (about the largest message the defaults accept) and never read a byte, in a child
 * process, while a well-behaved client on another address gets a session and sends one chat a
 * second. Reports what the well-behaved client sees, against a server with the default chat
 * budgets.
 */
import http from 'node:http';
import { forkNeverReadingChats } from './never-reading-chats.js';

export interface SlowReadersOptions {
  /** `http://127.0.0.1:PORT` of a server with PoW off and the default chat budgets. */
  url: string;
  appId: string;
  origin: string;
  seconds: number;
  /** Tokens of the attacking sockets (one each). */
  attackerTokens: string[];
  attackerAddresses?: string[];
  clientAddress?: string;
}

export interface SlowReadersResult {
  name: string;
  /** The well-behaved client's turns (a session, then a chat read to its end): attempts, successes, latency of a whole turn. */
  client: { attempts: number; successes: number; successRate: number; p50Ms: number; p99Ms: number; statusCounts: Record<string, number> };
  attack: { sockets: number };
  unexpected: string[];
}

interface Answer {
  status: number;
  body: string;
}

function post(url: string, path: string, localAddress: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const target = new URL(path, url);
  if (target.hostname !== '127.0.0.1') throw new Error(`load runs on loopback only, not ${target.hostname}`);
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port: target.port, path: target.pathname, method: 'POST', headers, localAddress, agent: false, timeout: 10_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

/** One well-behaved turn: a new session, then one chat with it. Resolves with the status that ended it. */
async function wellBehavedTurn(options: SlowReadersOptions, clientAddress: string, turn: number): Promise<number> {
  const { url, appId, origin } = options;
  const session = await post(url, `/run/auth/apps/${appId}/anonymous-session`, clientAddress, { origin });
  if (session.status !== 200) return session.status;
  const { token } = JSON.parse(session.body) as { token: string };
  const headers = { origin, authorization: `Bearer ${token}`, 'x-inkeep-app-id': appId, 'content-type': 'application/json' };
  const chat = await post(url, '/run/api/chat', clientAddress, headers, JSON.stringify({ messages: [{ role: 'user', content: `turn ${turn}` }] }));
  return chat.status === 200 && chat.body.includes(`turn ${turn}`) ? 200 : chat.status || 0;
}

/** Runs the attack and the well-behaved client side by side for `seconds`. */
export async function slowReadersVersusWellBehaved(options: SlowReadersOptions): Promise<SlowReadersResult> {
  const clientAddress = options.clientAddress ?? '127.0.0.6';
  const port = Number(new URL(options.url).port);
  const origin = options.origin;
  const attack = await forkNeverReadingChats({
    port,
    addresses: options.attackerAddresses ?? ['127.0.0.4', '127.0.0.5'],
    sockets: options.attackerTokens.length,
    requestsPerSocket: 100,
    headers: options.attackerTokens.map((token) => ({ authorization: `Bearer ${token}`, 'x-inkeep-app-id': options.appId, origin })),
    body: JSON.stringify({ messages: [{ role: 'user', content: 'a'.repeat(16_000) }] }),
  });
  const client = { attempts: 0, successes: 0, latencies: [] as number[], statusCounts: {} as Record<string, number> };
  try {
    const deadline = Date.now() + options.seconds * 1000;
    while (Date.now() < deadline) {
      const started = performance.now();
      const status = await wellBehavedTurn(options, clientAddress, client.attempts);
      client.attempts += 1;
      client.statusCounts[String(status)] = (client.statusCounts[String(status)] ?? 0) + 1;
      if (status === 200) client.successes += 1;
      const took = performance.now() - started;
      client.latencies.push(took);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - took)));
    }
  } finally {
    await attack.stop();
  }
  const sorted = [...client.latencies].sort((a, b) => a - b);
  const successRate = client.attempts === 0 ? 0 : client.successes / client.attempts;
  const unexpected: string[] = [];
  if (client.attempts === 0) unexpected.push('slow readers: the well-behaved client made no attempt');
  if (client.successes !== client.attempts) {
    unexpected.push(`slow readers: the well-behaved client completed ${client.successes}/${client.attempts} turns ${JSON.stringify(client.statusCounts)}`);
  }
  return {
    name: 'slow readers vs client',
    client: { attempts: client.attempts, successes: client.successes, successRate, p50Ms: Math.round(percentile(sorted, 50)), p99Ms: Math.round(percentile(sorted, 99)), statusCounts: client.statusCounts },
    attack: { sockets: options.attackerTokens.length },
    unexpected,
  };
}
