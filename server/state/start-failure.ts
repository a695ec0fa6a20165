import { ForeignDatabaseError } from './sql/connect.js';
import { SchemaTooNewError } from './sql/migrations.js';

// Reasons are chosen from codes, never copied from driver messages, which can quote a
// connection string; the SQLSTATE or errno is appended so an operator can look it up.
const PG_REASONS: Record<string, string> = {
  '28P01': 'password authentication failed',
  '28000': 'the role may not log in',
  '3D000': 'the database does not exist',
  '42501': 'the role lacks a privilege the migrations need (it should own the database)',
  '53300': 'too many connections',
  '57P03': 'the database is starting up',
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'timed out',
  ECONNRESET: 'connection reset',
};
const SQLITE_REASONS: Record<string, string> = {
  SQLITE_NOTADB: 'not an SQLite database: the file is corrupt or of another kind',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_CANTOPEN: 'the file cannot be opened',
  SQLITE_READONLY: 'the file is read-only',
  SQLITE_PERM: 'permission denied',
  SQLITE_BUSY: 'the file is locked by another process',
};

const REBUILD = 'run `npm rebuild better-sqlite3` with the Node.js that runs the server';

/**
 * Why the SQLite driver's native module did not load, or undefined when `error` is not that.
 * Only the two ABI numbers are taken from Node's message (digits; the message also holds paths).
 */
function nativeDriverReason(error: unknown, code: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  if (code === 'ERR_DLOPEN_FAILED') {
    const abi = /NODE_MODULE_VERSION (\d+)[\s\S]*NODE_MODULE_VERSION (\d+)/.exec(message);
    const why = abi ? `was built for another Node.js (NODE_MODULE_VERSION ${abi[1]}, this one needs ${abi[2]})` : 'could not be loaded (built for another platform, or damaged)';
    return `the SQLite driver (better-sqlite3) ${why}: ${REBUILD}, ERR_DLOPEN_FAILED`;
  }
  // The `bindings` package's words when no build exists: the install script never ran (npm 12
  // skips the scripts package.json's allowScripts does not approve; this repository approves it).
  if (message.startsWith('Could not locate the bindings file')) return `the SQLite driver (better-sqlite3) is not built, its install script did not run: ${REBUILD}`;
  return undefined;
}

/** A short, secret-free reason for a failure to open, migrate or seed the state at start. */
export function startFailureReason(error: unknown): string {
  if (error instanceof ForeignDatabaseError || error instanceof SchemaTooNewError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  const native = nativeDriverReason(error, code);
  if (native) return native;
  if (typeof code === 'string') {
    const reason = PG_REASONS[code] ?? SQLITE_REASONS[code] ?? (code.startsWith('SQLITE_IOERR') ? 'an I/O error' : undefined);
    return reason ? `${reason}, ${code}` : code;
  }
  if (error instanceof Error && /timeout/i.test(error.message)) return 'timed out';
  if (error instanceof Error && error.message.includes('Connection terminated')) return 'the server closed the connection';
  return error instanceof Error ? error.name : 'unknown error';
}
