import { StoreUnavailableError } from '../store-errors.js';

/** Seconds a client is asked to wait when the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// PostgreSQL SQLSTATEs meaning "the server is not there right now", not "your query is wrong":
// class 08 (connection exception), 57P01–57P03 (shut down / starting), 57014 (statement timeout),
// 53300 (too many connections).
const PG_TRANSIENT = new Set(['57P01', '57P02', '57P03', '57014', '53300']);
const NODE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const SQLITE_TRANSIENT = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL']);
// `pg` reports a lost or timed-out connection with plain Errors that carry no code.
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error',
  'Connection is closed',
  'driver has already been destroyed',
];

/** Whether `error` means the database is unreachable or overloaded (answer 503, retry later). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || PG_TRANSIENT.has(code) || NODE_NETWORK.has(code)) return true;
    if (SQLITE_TRANSIENT.has(code) || code.startsWith('SQLITE_IOERR')) return true;
  }
  if (PG_MESSAGES.some((text) => error.message.includes(text))) return true;
  return error.cause !== undefined && error.cause !== error && isDatabaseUnavailable(error.cause);
}

/**
 * Wraps every method of a store so a database outage surfaces as {@link StoreUnavailableError}
 * (503 + Retry-After) and never as a 500 quoting driver internals. Other errors pass unchanged.
 */
export function guardAvailability<T extends object>(store: T): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          if (isDatabaseUnavailable(error)) {
            throw new StoreUnavailableError('The database is unavailable; retry shortly.', DATABASE_RETRY_AFTER_SECONDS, {
              cause: error,
            });
          }
          throw error;
        }
      };
    },
  });
}
