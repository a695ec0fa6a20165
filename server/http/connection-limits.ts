import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { normalizeAddress, rateKeyOf } from '../core/client-address.js';

/** How many sockets the server holds open at once: in total, and from one client address. */
export interface ConnectionLimits {
  /** Most open connections in total; kept below the process's open-file limit. */
  maxConnections: number;
  /** Most open connections from one client address (the socket's peer, not `X-Forwarded-For`; IPv6 per /64). */
  maxConnectionsPerAddress: number;
  /** The soft open-file limit (`ulimit -n`) the defaults were derived from, if known. */
  openFileLimit: number | null;
}

/** Open-file limit assumed when the process's own cannot be read. */
export const ASSUMED_OPEN_FILE_LIMIT = 1024;
const MAX_DEFAULT_CONNECTIONS = 10_000;

/** The soft "Max open files" limit of this process (Linux `/proc/self/limits`), or `null`. */
export function readOpenFileLimit(path = '/proc/self/limits'): number | null {
  try {
    const line = readFileSync(path, 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line ? Number(/^Max open files\s+(\d+)/.exec(line)?.[1]) : NaN;
    return Number.isInteger(soft) && soft > 0 ? soft : null;
  } catch {
    return null;
  }
}

/**
 * Defaults from the open-file limit `L` (`ulimit -n`, else 1024): at most
 * `min(10 000, floor(3L/4))` connections in total — the last quarter of the descriptors stays
 * free for the database, the log and outgoing calls — and `clamp(floor(total/8), 4, 256)` from
 * one address, so a single client (or NAT) can hold at most an eighth of them.
 * `L` = 1024 → 768 in total, 96 per address.
 */
export function defaultConnectionLimits(openFileLimit: number | null = readOpenFileLimit()): ConnectionLimits {
  const limit = openFileLimit ?? ASSUMED_OPEN_FILE_LIMIT;
  const maxConnections = Math.max(8, Math.min(MAX_DEFAULT_CONNECTIONS, Math.floor((limit * 3) / 4)));
  const maxConnectionsPerAddress = Math.min(256, Math.max(4, Math.floor(maxConnections / 8)));
  return { maxConnections, maxConnectionsPerAddress, openFileLimit };
}

/**
 * Enforces the limits on a listening server: past `maxConnections` Node itself refuses new
 * sockets; a socket from an address that already holds `maxConnectionsPerAddress` is destroyed
 * at once, before it is read, so one client's idle sockets cannot exhaust descriptors or the
 * total for everyone else.
 */
export function limitConnections(server: Server, limits: Pick<ConnectionLimits, 'maxConnections' | 'maxConnectionsPerAddress'>): void {
  server.maxConnections = limits.maxConnections;
  const openByAddress = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    // Counted like every per-client limit: IPv4-mapped as IPv4, IPv6 per /64 (one subscriber's prefix).
    const address = rateKeyOf(normalizeAddress(socket.remoteAddress ?? 'unknown'));
    const open = openByAddress.get(address) ?? 0;
    if (open >= limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    openByAddress.set(address, open + 1);
    socket.once('close', () => {
      const left = (openByAddress.get(address) ?? 1) - 1;
      if (left <= 0) openByAddress.delete(address);
      else openByAddress.set(address, left);
    });
  });
}

/**
 * Closes a socket that has not delivered a complete request head within `ms` of connecting.
 * Node's own `headersTimeout` only starts once a request's first byte arrives, so a socket that
 * connects and stays silent would otherwise be held until the client gives up.
 */
export function closeSilentSockets(server: Server, ms: number): void {
  const timers = new WeakMap<Socket, NodeJS.Timeout>();
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), ms);
    timer.unref();
    timers.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  server.on('request', (request: IncomingMessage) => {
    const timer = timers.get(request.socket);
    if (timer) {
      clearTimeout(timer);
      timers.delete(request.socket);
    }
  });
}
