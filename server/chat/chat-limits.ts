import type { ConversationLimits } from '../state/conversation-store.js';

/**
 * Bounds of the chat and conversation routes, so one token cannot fill the database or hold
 * the server: each is documented in docs/chat-api.md (Bounds) with its default.
 */
export interface ChatLimits extends ConversationLimits {
  /** Largest user message, in UTF-8 bytes of its text (413 above). */
  maxMessageBytes: number;
  /** Most messages one request body may carry (422 above). */
  maxRequestMessages: number;
}

/** How the chat routes behave; every field has a default. */
export interface ChatSettings {
  limits: ChatLimits;
  /**
   * How long one streamed chunk may wait for the client to take it before the connection is
   * closed: a client that stops reading cannot hold the stream (and its socket) open.
   */
  writeTimeoutMs: number;
}

export const DEFAULT_CHAT_LIMITS: ChatLimits = {
  maxMessageBytes: 16 * 1024,
  maxRequestMessages: 200,
  maxMessagesPerConversation: 200,
  maxConversationsPerOwner: 100,
};

export const DEFAULT_CHAT_SETTINGS: ChatSettings = { limits: DEFAULT_CHAT_LIMITS, writeTimeoutMs: 10_000 };

/** Fills partial settings (e.g. from `startServer` options) with the defaults. */
export function completeChatSettings(partial: { limits?: Partial<ChatLimits>; writeTimeoutMs?: number } = {}): ChatSettings {
  return {
    limits: { ...DEFAULT_CHAT_LIMITS, ...partial.limits },
    writeTimeoutMs: partial.writeTimeoutMs ?? DEFAULT_CHAT_SETTINGS.writeTimeoutMs,
  };
}
