/** Which SQL engine a {@link Database} runs on; the few dialect differences branch on it. */
export type SqlEngine = 'sqlite' | 'postgres';

/**
 * The tables of the state layer, as Kysely sees them. Instants compared in queries are epoch
 * milliseconds (`*_ms`, bigint on PostgreSQL, read back as numbers); instants only shown are
 * ISO-8601 text, as the records carry them. Secrets appear only as SHA-256 hex digests.
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
  tenant_id: string | null;
  project_id: string;
  name: string;
  description: string | null;
  type: 'web_client' | 'api' | 'support_copilot';
  default_agent_id: string | null;
  enabled: number;
  /** JSON */
  config: string;
  last_used_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Ids of deleted apps and who owned them, so another tenant cannot take the id over. */
export interface AppTombstonesTable {
  id: string;
  tenant_id: string | null;
  project_id: string;
  deleted_at: string;
}

export interface CredentialReferencesTable {
  tenant_id: string;
  project_id: string;
  id: string;
  name: string;
  type: 'memory' | 'keychain' | 'nango';
  credential_store_id: string;
  /** JSON */
  retrieval_params: string | null;
  tool_id: string | null;
  user_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReplayEntriesTable {
  key: string;
  expires_at_ms: number;
}

export interface PairingChallengesTable {
  id: string;
  app_id: string;
  app_name: string;
  code_digest: string;
  expires_at_ms: number;
  /** When the tombstone may go: one lifetime after expiry. */
  forget_at_ms: number;
  failed_attempts: number;
  state: 'pending' | 'used' | 'dead';
}

export interface PairedApiKeysTable {
  id: string;
  digest: string;
  app_id: string;
  app_name: string;
  created_at: string;
  expires_at: string | null;
  expires_at_ms: number | null;
}

export interface RateBucketsTable {
  key: string;
  tokens: number;
  updated_at_ms: number;
  /** When the bucket is full again and carries no information (double: fractional ms). */
  full_at_ms: number;
  /** Whether the last `take` spent tokens (1) or was refused (0); read back in the same statement. */
  allowed: number;
}

export interface ServiceApiKeysTable {
  id: string;
  digest: string;
  tenant_id: string;
  project_id: string;
  app_id: string;
  agent_id: string;
  name: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  expires_at_ms: number | null;
  last_used_at: string | null;
}

export interface ConversationsTable {
  id: string;
  /** JSON of [tenantId, projectId, appId, ownerId]: the one column every read is scoped by. */
  owner_key: string;
  tenant_id: string | null;
  project_id: string;
  app_id: string;
  owner_id: string;
  agent_id: string | null;
  title: string | null;
  message_count: number;
  created_at: string;
  updated_at: string;
}

/** How many conversations an owner holds: the row the per-owner cap is enforced on. */
export interface ConversationOwnersTable {
  owner_key: string;
  conversation_count: number;
}

export interface ConversationMessagesTable {
  conversation_id: string;
  /** 0-based order within the conversation. */
  position: number;
  id: string;
  role: 'user' | 'assistant' | 'system';
  content: string;
  /** JSON */
  parts: string;
  created_at: string;
}

export interface ConversationFeedbackTable {
  conversation_id: string;
  /** The message id, or `''` for feedback on the whole conversation. */
  message_key: string;
  type: 'positive' | 'negative';
  /** JSON */
  details: string;
  created_at: string;
}

export interface ConversationEventsTable {
  id: string;
  owner_key: string;
  type: string;
  conversation_id: string | null;
  message_id: string | null;
  /** JSON */
  properties: string;
  created_at_ms: number;
}
