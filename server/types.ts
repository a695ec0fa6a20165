import type { PairingAppSetting } from './pairing/pairing-app.js';
import type { ConnectionLimits } from './http/connection-limits.js';
import type { PairingCodeListener, PairingLimits, PairingService } from './pairing/pairing-service.js';
import type { ManageDeps } from './manage/routes/index.js';
import type { AppRecord, AppRegistry } from './state/app-registry.js';
import type { ChatLimits } from './chat/chat-limits.js';
import type { ChatRateLimits } from './chat/chat-rate-limits.js';
import type { ConversationStore } from './state/conversation-store.js';
import type { ManageSettings } from './manage/manage-settings.js';
import type { RateLimitStore, RateRule } from './state/rate-limit-store.js';
import type { ReplayStore } from './state/replay-store.js';
import type { State } from './state/state.js';
import type { StateSettings } from './state/state-settings.js';
import type { ServiceApiKeyStore } from './state/service-api-key-store.js';
import type { TransportSettings } from './http/transport.js';
import type { PowSettings } from './auth/pow.js';
import type { RequestLogEntry } from './http/request-log.js';

export type { PowSettings, RequestLogEntry };

/** Everything the server needs, resolved from the environment or passed by a test. */
export interface ServerConfig {
  jwtSecret: string;
  /** True when `jwtSecret` was made up for this process (development/test only). */
  jwtSecretGenerated: boolean;
  sessionLifetimeSeconds: number;
  pow: PowSettings | null;
  apps: AppRecord[];
  /**
   * The app pairing challenges are for when the client names none. Absent → the one enabled
   * web-client app of `apps` when there is exactly one, else none (such challenges get a 400).
   */
  pairingApp?: PairingAppSetting;
  /** Manage API (admin keys, credential stores); `null`/absent → no manage routes. */
  manage?: ManageSettings | null;
  /**
   * Reverse proxies (`INK_AUTH_TRUSTED_PROXIES`) whose `X-Forwarded-For` names the client for
   * per-client limits. Default none: the socket peer is the client.
   */
  trustedProxies?: string[];
  /**
   * Where state lives (`DATABASE_URL`, `INK_AUTH_DB`, `INK_AUTH_CONFIG_MODE`). Absent: SQLite at
   * `manage.dbPath` when given, else a throwaway in-memory SQLite database.
   */
  state?: StateSettings;
}

/** What `createApp` is built from. */
export interface AppDeps {
  config: ServerConfig;
  registry: AppRegistry;
  onRequest?: (entry: RequestLogEntry) => void;
  log?: (line: string) => void;
  /** Mounts the manage API when given. */
  manage?: ManageDeps;
  /** Where redeemed PoW solutions are remembered; default: this process's memory. */
  replay?: ReplayStore;
  /** Where per-client limits (PoW difficulty, session and chat budgets) are counted; default: this process's memory. */
  rateLimits?: RateLimitStore;
  /** Code pairing (`/v1/auth`); default: an in-memory service using `log` and `onPairingCode`. */
  pairing?: PairingService;
  /** Receives each pairing code (also printed through `log`). */
  onPairingCode?: PairingCodeListener;
  /** Per-user conversation history of the chat routes. */
  conversations: ConversationStore;
  /** Server-to-server API keys: issued by the manage API, accepted by the run routes. */
  serviceKeys: ServiceApiKeyStore;
  /** Chat bounds and the stream write timeout; defaults in `server/chat/chat-limits.ts`. */
  chat?: ChatOptions;
  /** Clock in epoch milliseconds for PoW expiry and token issue and verification. Default `Date.now`. */
  now?: () => number;
}

/** Chat settings a caller may override: any subset of the limits and budgets, the write timeout. */
export interface ChatOptions {
  limits?: Partial<ChatLimits>;
  /**
   * Request budgets per identity and per client address (chat, and the looser history routes)
   * and open streams per identity and address; defaults in `server/chat/chat-rate-limits.ts`.
   */
  rateLimits?: Partial<ChatRateLimits>;
  /** Milliseconds one streamed chunk may wait for a client that does not read (default 10 000). */
  writeTimeoutMs?: number;
}

/** Options of `startServer`; every field is optional. */
export interface StartOptions {
  /** 0 (the default) picks an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Missing `jwtSecret` → random; missing `pow` → off; missing `apps` → the demo app. */
  config?: Partial<ServerConfig>;
  /** Default: the state's app store, seeded from `config.apps`. */
  registry?: AppRegistry;
  onRequest?: (entry: RequestLogEntry) => void;
  /** Default `console.log`; tests pass `() => {}`. */
  log?: (line: string) => void;
  /** Receives each pairing code `(code, { challengeId, appName, appId, expiresAt })`; it is printed too. */
  onPairingCode?: PairingCodeListener;
  /** Conversation history. Default: in memory (lost on restart). */
  conversations?: ConversationStore;
  /** Server-to-server API keys. Default: in memory (lost on restart). */
  serviceKeys?: ServiceApiKeyStore;
  /** Chat bounds and the stream write timeout. */
  chat?: ChatOptions;
  /**
   * Timeouts and connection caps. Defaults: `TRANSPORT_LIMITS` and `defaultConnectionLimits()`
   * (derived from the open-file limit).
   */
  transport?: Partial<TransportSettings>;
  /** Pairing limits (challenge lifetime and bounds, per-address and per-app budgets); defaults in pairing-service.ts. */
  pairing?: PairingLimits;
  /**
   * Clock in epoch milliseconds for every store, PoW challenge, session token and pairing
   * lifetime (timers such as the expiry sweep and socket timeouts stay real). Default `Date.now`.
   */
  now?: () => number;
}

/** A listening server. `close()` also drops keep-alive and streaming connections. */
export interface RunningServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  config: ServerConfig;
  registry: AppRegistry;
  /** Code pairing: e.g. `pairing.revokeApiKey(id)` revokes a paired key. */
  pairing: PairingService;
  /** Every store (apps, replay, pairing, keys, limits, conversations), on SQLite or PostgreSQL. */
  state: State;
  /** The connection caps in force, and the open-file limit they were derived from. */
  connectionLimits: ConnectionLimits;
  close(): Promise<void>;
}
