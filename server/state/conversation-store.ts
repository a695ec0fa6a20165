import type { Page } from './app-store.js';

/**
 * Who a conversation belongs to. Every read and write is scoped by all four fields, so one
 * caller can never see or extend another's conversation, even with a guessed id.
 */
export interface ConversationOwner {
  tenantId: string | null;
  projectId: string;
  appId: string;
  /** The token's `anon_…` subject, or the id of the API key (`key_…`) for server-to-server calls. */
  ownerId: string;
}

/** The one key of an owner, as every engine stores and compares it (all four fields). */
export const conversationOwnerKey = (owner: ConversationOwner): string =>
  JSON.stringify([owner.tenantId, owner.projectId, owner.appId, owner.ownerId]);

/** A conversation as the conversation routes list it. */
export interface ConversationRecord {
  /** Client-chosen (`conv_…` by the hosted widget) or server-made. */
  id: string;
  agentId: string | null;
  /** `null` until set; the routes derive a title from the first user message. */
  title: string | null;
  /** Number of stored messages. */
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}

/** One part of a stored message (AI SDK UI message parts; only `text` parts are produced today). */
export interface StoredMessagePart {
  type: string;
  text?: string;
  [key: string]: unknown;
}

/** A message as it is stored and read back. */
export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant' | 'system';
  /** The message's text (its text parts joined). */
  content: string;
  parts: StoredMessagePart[];
  createdAt: string;
}

/** Upper bounds a store enforces atomically with its writes. */
export interface ConversationLimits {
  /** Most conversations one owner may hold. */
  maxConversationsPerOwner: number;
  /** Most messages one conversation may hold. */
  maxMessagesPerConversation: number;
}

/** The outcome of {@link ConversationStore.append}. */
export type AppendResult =
  | { ok: true; conversation: ConversationRecord; created: boolean }
  /** The id exists but belongs to another owner: answer 404, never merge. */
  | { ok: false; reason: 'foreign' }
  /** The owner already holds `maxConversationsPerOwner` conversations (a new one was asked for). */
  | { ok: false; reason: 'too_many_conversations' }
  /** The conversation would exceed `maxMessagesPerConversation`. */
  | { ok: false; reason: 'too_many_messages' };

/** Feedback on a conversation or one of its messages (`POST /run/v1/feedback`). */
export interface FeedbackInput {
  conversationId: string;
  messageId: string | null;
  type: 'positive' | 'negative';
  /** Free text or a small JSON value, already bounded by the route. */
  details: unknown;
}

/** An analytics event (`POST /run/v1/events`). */
export interface EventInput {
  type: string;
  conversationId: string | null;
  messageId: string | null;
  properties: unknown;
}

/** Outcome of {@link ConversationStore.addEvent}. */
export type EventResult = 'stored' | 'unknown_conversation' | 'unknown_message';

/** What {@link ConversationStore.transferAll} did: how many conversations moved, or why none did. */
export type TransferResult = { ok: true; moved: number } | { ok: false; reason: 'too_many_conversations' };

/**
 * Per-user conversation history. Implemented in memory (tests), on SQLite (the default) and on
 * PostgreSQL; the routes never know which. All methods are scoped by {@link ConversationOwner}.
 */
export interface ConversationStore {
  /**
   * Appends messages to the owner's conversation `id`, creating it (with `agentId` and `title`)
   * when it does not exist. The caps are checked in the same transaction as the write, so
   * concurrent appends cannot overshoot them.
   */
  append(
    owner: ConversationOwner,
    id: string,
    init: { agentId: string | null; title: string | null },
    messages: readonly StoredMessage[],
    limits: ConversationLimits,
  ): Promise<AppendResult>;
  /** The owner's conversations, most recently updated first. */
  list(owner: ConversationOwner, query: { page: number; limit: number }): Promise<Page<ConversationRecord>>;
  /** One of the owner's conversations with a page of its messages (oldest first); `undefined` when not the owner's. */
  get(
    owner: ConversationOwner,
    id: string,
    query: { page: number; limit: number },
  ): Promise<{ conversation: ConversationRecord; messages: Page<StoredMessage> } | undefined>;
  /** Stores feedback; `false` when the conversation is not the owner's. */
  addFeedback(owner: ConversationOwner, feedback: FeedbackInput): Promise<boolean>;
  /**
   * Stores an event. A `conversationId` must name one of the owner's conversations and a
   * `messageId` one of its messages; otherwise nothing is stored and the answer says which id.
   */
  addEvent(owner: ConversationOwner, event: EventInput): Promise<EventResult>;
  /**
   * Moves every conversation of `from` (with its messages, feedback and events) to `to`, in one
   * transaction: all of them, or none when `to` would then hold more than `maxConversationsPerOwner`.
   * Both owners must be of the same tenant, project and app (the caller checks).
   */
  transferAll(from: ConversationOwner, to: ConversationOwner, maxConversationsPerOwner: number): Promise<TransferResult>;
}
