import { randomBytes } from 'node:crypto';
import { startFaultProxy } from './fault-proxy.js';
import type { FaultProxy, FaultRule } from './fault-proxy.js';

type Payload =
  | { action: 'start'; upstream: string }
  | { action: 'faults'; id: string; rules: FaultRule[] }
  | { action: 'clear-faults'; id: string }
  | { action: 'log'; id: string }
  | { action: 'clear-log'; id: string }
  | { action: 'down'; id: string; forMs?: number }
  | { action: 'up'; id: string }
  | { action: 'stop'; id: string };

const LOOPBACK = /^http:\/\/127\.0\.0\.1:\d{1,5}$/;

/**
 * Test-runner plugin: browser tests put a fault-injecting proxy in front of a reference server
 * through `executeServerCommand('ink-faults', …)` (see test/browser/helpers/faults.ts).
 */
export function faultProxyPlugin() {
  const proxies = new Map<string, FaultProxy>();

  function find(id: string): FaultProxy {
    const proxy = proxies.get(id);
    if (!proxy) throw new Error(`ink-faults: no running proxy "${id}"`);
    return proxy;
  }

  return {
    name: 'ink-fault-proxy',
    async executeCommand({ command, payload }: { command: string; payload?: unknown }) {
      if (command !== 'ink-faults') return undefined;
      const request = payload as Payload;
      switch (request.action) {
        case 'start': {
          // Only the reference servers the tests started (loopback) may be proxied.
          if (!LOOPBACK.test(request.upstream)) throw new Error(`ink-faults: upstream must be a loopback URL, got ${request.upstream}`);
          const proxy = await startFaultProxy(request.upstream);
          const id = `fp_${randomBytes(6).toString('hex')}`;
          proxies.set(id, proxy);
          return { id, url: proxy.url };
        }
        case 'faults':
          find(request.id).addFaults(request.rules);
          return true;
        case 'clear-faults':
          find(request.id).clearFaults();
          return true;
        case 'log':
          return find(request.id).log();
        case 'clear-log':
          find(request.id).clearLog();
          return true;
        case 'down':
          await find(request.id).down(request.forMs);
          return true;
        case 'up':
          await find(request.id).up();
          return true;
        case 'stop': {
          const proxy = proxies.get(request.id);
          proxies.delete(request.id);
          await proxy?.close();
          return true;
        }
        default:
          throw new Error(`ink-faults: unknown action ${JSON.stringify(request)}`);
      }
    },
    async serverStop() {
      const all = [...proxies.values()];
      proxies.clear();
      await Promise.all(all.map((proxy) => proxy.close()));
    },
  };
}
