/** Which SQL engine a {@link Database} runs on; the few dialect differences branch on it. */
export type SqlEngine = 'sqlite' | 'postgres';

/**
 * The tables of the state layer, as Kysely sees them through `CamelCasePlugin` (connect.ts):
 * columns in camelCase here, snake_case on disk (`expiresAtMs` is `expires_at_ms`). Table names
 * are written as on disk; the plugin's snake-casing leaves them as they are. Instants compared
 * in queries are epoch milliseconds (`*Ms`, bigint on PostgreSQL, read back as numbers);
 * instants only shown are ISO-8601 text, as the records carry them. Secrets appear only as
 * SHA-256 hex digests. JSON columns are text, read back as the string stored.
 */
export interface Database {
  apps: AppsTable;
  app_tombstones: AppTombstonesTable;
  credential_references: CredentialReferencesTable;
  replay_entries: ReplayEntriesTable;
  pairing_challenges: PairingChallengesTable;
  paired_api_keys: PairedApiKeysTable;
  rate_buckets: RateBucketsTable;
  service_api_keys: ServiceApiKeysTable;
  conversations: ConversationsTable;
  conversation_owners: ConversationOwnersTable;
  conversation_messages: ConversationMessagesTable;
  conversation_feedback: ConversationFeedbackTable;
  conversation_events: ConversationEventsTable;
}

export interface AppsTable {
  id: string;
  tenantId: string | null;
  projectId: string;
  name: string;
  description: string | null;
  type: 'web_client' | 'api' | 'support_copilot';
  defaultAgentId: string | null;
  enabled: number;
  /** JSON */
  config: string;
  lastUsedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Ids of deleted apps and who owned them, so another tenant cannot take the id over. */
export interface AppTombstonesTable {
  id: string;
  tenantId: string | null;
  projectId: string;
  deletedAt: string;
}

export interface CredentialReferencesTable {
  tenantId: string;
  projectId: string;
  id: string;
  name: string;
  type: 'memory' | 'keychain' | 'nango';
  credentialStoreId: string;
  /** JSON */
  retrievalParams: string | null;
  toolId: string | null;
  userId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReplayEntriesTable {
  key: string;
  expiresAtMs: number;
}

export interface PairingChallengesTable {
  id: string;
  appId: string;
  appName: string;
  codeDigest: string;
  expiresAtMs: number;
  /** When the tombstone may go: one lifetime after expiry. */
  forgetAtMs: number;
  failedAttempts: number;
  state: 'pending' | 'used' | 'dead';
}

export interface PairedApiKeysTable {
  id: string;
  digest: string;
  appId: string;
  appName: string;
  createdAt: string;
  expiresAt: string | null;
  expiresAtMs: number | null;
}

export interface RateBucketsTable {
  key: string;
  tokens: number;
  updatedAtMs: number;
  /** When the bucket is full again and carries no information (double: fractional ms). */
  fullAtMs: number;
  /** Whether the last `take` spent tokens (1) or was refused (0); read back in the same statement. */
  allowed: number;
}

export interface ServiceApiKeysTable {
  id: string;
  digest: string;
  tenantId: string;
  projectId: string;
  appId: string;
  agentId: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  expiresAtMs: number | null;
  lastUsedAt: string | null;
}

export interface ConversationsTable {
  id: string;
  /** JSON of [tenantId, projectId, appId, ownerId]: the one column every read is scoped by. */
  ownerKey: string;
  tenantId: string | null;
  projectId: string;
  appId: string;
  ownerId: string;
  agentId: string | null;
  title: string | null;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}

/** How many conversations an owner holds: the row the per-owner cap is enforced on. */
export interface ConversationOwnersTable {
  ownerKey: string;
  conversationCount: number;
}

export interface ConversationMessagesTable {
  conversationId: string;
  /** 0-based order within the conversation. */
  position: number;
  id: string;
  role: 'user' | 'assistant' | 'system';
  content: string;
  /** JSON */
  parts: string;
  createdAt: string;
}

export interface ConversationFeedbackTable {
  conversationId: string;
  /** The message id, or `''` for feedback on the whole conversation. */
  messageKey: string;
  type: 'positive' | 'negative';
  /** JSON */
  details: string;
  createdAt: string;
}

export interface ConversationEventsTable {
  id: string;
  ownerKey: string;
  type: string;
  conversationId: string | null;
  messageId: string | null;
  /** JSON */
  properties: string;
  createdAtMs: number;
}
