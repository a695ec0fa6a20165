import { ConfigError } from '../core/config-error.js';
import type { ApiKeyStore } from './api-keys.js';
import type { AppRecord } from './app-registry.js';
import type { AppStore } from './app-store.js';
import type { ConversationStore } from './conversation-store.js';
import type { CredentialReferenceStore } from './credential-references.js';
import type { PairingChallengeOptions, PairingChallengeStore } from './pairing-challenge-store.js';
import type { RateLimitStore } from './rate-limit-store.js';
import type { ReplayStore } from './replay-store.js';
import { seedConfigApps } from './seed-apps.js';
import type { ServiceApiKeyStore } from './service-api-key-store.js';
import { SqlAppStore } from './sql/app-store.js';
import { openPostgres, openSqlite, type SqlDatabase } from './sql/connect.js';
import { SqlConversationStore } from './sql/conversation-store.js';
import { SqlCredentialReferenceStore } from './sql/credential-reference-store.js';
import { SqlPairedApiKeyStore } from './sql/paired-api-key-store.js';
import { SqlPairingChallengeStore } from './sql/pairing-challenge-store.js';
import { SqlRateLimitStore } from './sql/rate-limit-store.js';
import { SqlReplayStore } from './sql/replay-store.js';
import { SqlServiceApiKeyStore } from './sql/service-api-key-store.js';
import { startSweeper, sweepOnce, type Sweepable } from './sql/sweeper.js';
import { guardAvailability } from './sql/unavailable.js';
import { describeDatabaseUrl, type StateSettings } from './state-settings.js';
import { startFailureReason } from './start-failure.js';

/** Every store of the server, on one engine. Routes and domain code see only the interfaces. */
export interface State {
  engine: 'sqlite' | 'postgres';
  apps: AppStore;
  credentials: CredentialReferenceStore;
  replay: ReplayStore;
  rateLimits: RateLimitStore;
  challenges: PairingChallengeStore;
  pairedKeys: ApiKeyStore;
  serviceKeys: ServiceApiKeyStore;
  conversations: ConversationStore;
  /** One bounded sweep of expired rows now (the periodic sweep runs by itself). */
  sweep(): Promise<void>;
  /** Stops the sweep and closes the database. */
  close(): Promise<void>;
}

/** Collaborators and tunables of {@link openState}. */
export interface OpenStateOptions {
  /** Apps of the config file, applied per `settings.configMode`. */
  seedApps?: readonly AppRecord[];
  log?: (line: string) => void;
  /** Clock in epoch milliseconds for every store. Default `Date.now`. */
  now?: () => number;
  /** Pairing challenge lifetime, attempts and bound. */
  challenges?: Omit<PairingChallengeOptions, 'now'>;
  /** Period of the expiry sweep. Default 60 s. */
  sweepIntervalMs?: number;
}

/**
 * Opens the server's state: PostgreSQL when `settings.databaseUrl` is set (it wins, and says
 * so once), else SQLite at `settings.sqlitePath`; migrates it, seeds the config apps and
 * starts the expiry sweep. Every store answers a database outage with `StoreUnavailableError`.
 * @throws ConfigError naming `DATABASE_URL` (never its password) or the SQLite file.
 */
export async function openState(settings: StateSettings, options: OpenStateOptions = {}): Promise<State> {
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  const database = await openDatabase(settings, log);
  const { db, engine } = database;
  const stores = {
    apps: new SqlAppStore(db),
    credentials: new SqlCredentialReferenceStore(db),
    replay: new SqlReplayStore(db, now),
    rateLimits: new SqlRateLimitStore(db, engine, now),
    challenges: new SqlPairingChallengeStore(db, { ...options.challenges, now }),
    pairedKeys: new SqlPairedApiKeyStore(db, { now }),
    serviceKeys: new SqlServiceApiKeyStore(db, now),
    conversations: new SqlConversationStore(db, engine, { now }),
  };
  const sweepable: Sweepable[] = [
    { name: 'replay_entries', sweep: () => stores.replay.sweep() },
    { name: 'pairing_challenges', sweep: () => stores.challenges.sweep() },
    { name: 'rate_buckets', sweep: () => stores.rateLimits.sweep() },
    { name: 'paired_api_keys', sweep: () => stores.pairedKeys.sweep() },
    { name: 'service_api_keys', sweep: () => stores.serviceKeys.sweep() },
    { name: 'conversation_events', sweep: () => stores.conversations.sweep() },
  ];
  try {
    await seedConfigApps(stores.apps, options.seedApps ?? [], settings.configMode ?? 'seed', log);
  } catch (error) {
    await database.close();
    throw new ConfigError(`${where(settings)}: cannot seed the config apps (${startFailureReason(error)}).`);
  }
  const stopSweeper = startSweeper(sweepable, options.sweepIntervalMs ?? 60_000, log);
  let closing: Promise<void> | undefined;
  return {
    engine,
    apps: guardAvailability(stores.apps),
    credentials: guardAvailability(stores.credentials),
    replay: guardAvailability(stores.replay),
    rateLimits: guardAvailability(stores.rateLimits),
    challenges: guardAvailability(stores.challenges),
    pairedKeys: guardAvailability(stores.pairedKeys),
    serviceKeys: guardAvailability(stores.serviceKeys),
    conversations: guardAvailability(stores.conversations),
    sweep: () => sweepOnce(sweepable, log),
    close() {
      closing ??= stopSweeper().then(() => database.close());
      return closing;
    },
  };
}

const where = (settings: StateSettings): string =>
  settings.databaseUrl ? `DATABASE_URL (${describeDatabaseUrl(settings.databaseUrl)})` : `INK_AUTH_DB '${settings.sqlitePath}'`;

async function openDatabase(settings: StateSettings, log: (line: string) => void): Promise<SqlDatabase> {
  if (settings.databaseUrl) {
    const safe = describeDatabaseUrl(settings.databaseUrl);
    log(`[ink-auth] DATABASE_URL is set: state is kept in PostgreSQL at ${safe} (INK_AUTH_DB is not used).`);
    try {
      return await openPostgres(settings.databaseUrl, {
        onIdleError: (error) => log(`[ink-auth] PostgreSQL connection lost (${startFailureReason(error)}); requests answer 503 until it is back.`),
      });
    } catch (error) {
      throw new ConfigError(`DATABASE_URL: cannot use PostgreSQL at ${safe} (${startFailureReason(error)}).`);
    }
  }
  try {
    return await openSqlite(settings.sqlitePath);
  } catch (error) {
    throw new ConfigError(`INK_AUTH_DB: cannot open the database at '${settings.sqlitePath}' (${startFailureReason(error)}).`);
  }
}
