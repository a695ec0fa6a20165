import { slicePage, type Page } from '../app-store.js';
import type {
  AppendResult,
  ConversationLimits,
  ConversationOwner,
  ConversationRecord,
  ConversationStore,
  EventInput,
  EventResult,
  FeedbackInput,
  StoredMessage,
  TransferResult,
} from '../conversation-store.js';
import { conversationOwnerKey as ownerKeyOf } from '../conversation-store.js';
import { newMessages } from '../new-messages.js';

/** Tunables of {@link MemoryConversationStore}. */
export interface MemoryConversationStoreOptions {
  /** Most analytics events kept; the oldest are dropped first. Default 10 000. */
  maxEvents?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

interface Conversation {
  ownerKey: string;
  record: ConversationRecord;
  messages: StoredMessage[];
  messageIds: Set<string>;
  /** Latest feedback per message (`''` = the conversation itself), so feedback is bounded by messages. */
  feedback: Map<string, FeedbackInput>;
}

/**
 * {@link ConversationStore} in one process's memory (unit tests). Same rules as the SQL
 * stores: messages whose id the conversation already holds are skipped (a client may resend
 * its history), the caps count only new messages, and feedback on the same message replaces
 * the earlier one.
 */
export class MemoryConversationStore implements ConversationStore {
  readonly #conversations = new Map<string, Conversation>();
  readonly #countByOwner = new Map<string, number>();
  readonly #events: Array<{ ownerKey: string; event: EventInput; at: string }> = [];
  readonly #maxEvents: number;
  readonly #now: () => number;

  constructor(options: MemoryConversationStoreOptions = {}) {
    this.#maxEvents = options.maxEvents ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Number of events held (tests check the bound). */
  get eventCount(): number {
    return this.#events.length;
  }

  async append(
    owner: ConversationOwner,
    id: string,
    init: { agentId: string | null; title: string | null },
    messages: readonly StoredMessage[],
    limits: ConversationLimits,
  ): Promise<AppendResult> {
    const ownerKey = ownerKeyOf(owner);
    const at = new Date(this.#now()).toISOString();
    const existing = this.#conversations.get(id);
    if (existing && existing.ownerKey !== ownerKey) return { ok: false, reason: 'foreign' };
    const fresh = newMessages(existing?.messageIds ?? new Set(), messages);
    const held = existing?.messages.length ?? 0;
    if (held + fresh.length > limits.maxMessagesPerConversation) return { ok: false, reason: 'too_many_messages' };
    let conversation = existing;
    if (!conversation) {
      const owned = this.#countByOwner.get(ownerKey) ?? 0;
      if (owned >= limits.maxConversationsPerOwner) return { ok: false, reason: 'too_many_conversations' };
      this.#countByOwner.set(ownerKey, owned + 1);
      conversation = {
        ownerKey,
        record: { id, agentId: init.agentId, title: init.title, messageCount: 0, createdAt: at, updatedAt: at },
        messages: [],
        messageIds: new Set(),
        feedback: new Map(),
      };
      this.#conversations.set(id, conversation);
    }
    for (const message of fresh) {
      conversation.messages.push(structuredClone(message));
      conversation.messageIds.add(message.id);
    }
    conversation.record.title ??= init.title;
    conversation.record.messageCount = conversation.messages.length;
    conversation.record.updatedAt = at;
    return { ok: true, conversation: { ...conversation.record }, created: !existing };
  }

  async list(owner: ConversationOwner, query: { page: number; limit: number }): Promise<Page<ConversationRecord>> {
    const ownerKey = ownerKeyOf(owner);
    const mine = [...this.#conversations.values()]
      .filter((conversation) => conversation.ownerKey === ownerKey)
      .map((conversation) => ({ ...conversation.record }))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
    return slicePage(mine, query);
  }

  async get(
    owner: ConversationOwner,
    id: string,
    query: { page: number; limit: number },
  ): Promise<{ conversation: ConversationRecord; messages: Page<StoredMessage> } | undefined> {
    const conversation = this.#conversations.get(id);
    if (!conversation || conversation.ownerKey !== ownerKeyOf(owner)) return undefined;
    return {
      conversation: { ...conversation.record },
      messages: slicePage(conversation.messages.map((message) => structuredClone(message)), query),
    };
  }

  async addFeedback(owner: ConversationOwner, feedback: FeedbackInput): Promise<boolean> {
    const conversation = this.#conversations.get(feedback.conversationId);
    if (!conversation || conversation.ownerKey !== ownerKeyOf(owner)) return false;
    conversation.feedback.set(feedback.messageId ?? '', structuredClone(feedback));
    return true;
  }

  async addEvent(owner: ConversationOwner, event: EventInput): Promise<EventResult> {
    if (event.conversationId !== null) {
      const conversation = this.#conversations.get(event.conversationId);
      if (!conversation || conversation.ownerKey !== ownerKeyOf(owner)) return 'unknown_conversation';
      if (event.messageId !== null && !conversation.messageIds.has(event.messageId)) return 'unknown_message';
    } else if (event.messageId !== null) {
      return 'unknown_message';
    }
    this.#events.push({ ownerKey: ownerKeyOf(owner), event: structuredClone(event), at: new Date(this.#now()).toISOString() });
    if (this.#events.length > this.#maxEvents) this.#events.splice(0, this.#events.length - this.#maxEvents);
    return 'stored';
  }

  async transferAll(from: ConversationOwner, to: ConversationOwner, maxConversationsPerOwner: number): Promise<TransferResult> {
    const fromKey = ownerKeyOf(from);
    const toKey = ownerKeyOf(to);
    const moving = [...this.#conversations.values()].filter((conversation) => conversation.ownerKey === fromKey);
    if (moving.length === 0 || fromKey === toKey) return { ok: true, moved: 0 };
    const held = this.#countByOwner.get(toKey) ?? 0;
    if (held + moving.length > maxConversationsPerOwner) return { ok: false, reason: 'too_many_conversations' };
    for (const conversation of moving) conversation.ownerKey = toKey;
    for (const entry of this.#events) if (entry.ownerKey === fromKey) entry.ownerKey = toKey;
    this.#countByOwner.set(toKey, held + moving.length);
    this.#countByOwner.delete(fromKey);
    return { ok: true, moved: moving.length };
  }
}
