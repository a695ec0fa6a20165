import { randomUUID } from 'node:crypto';
import type { ConversationStore, StoredMessage } from '../state/conversation-store.js';

/** The conversation store as a chat answer uses it: read the count, append the turn. */
export type ChatConversations = Pick<ConversationStore, 'get' | 'append'>;
import type { Caller } from '../auth/caller.js';
import type { ChatLimits } from './chat-limits.js';
import { assistantReply } from './chat-reply.js';
import type { ChatRequest } from './chat-request.js';
import { ServerError } from '../core/errors.js';

/** One answered turn: what was stored and what the assistant says. */
export interface ChatTurn {
  conversationId: string;
  /** The stored assistant message's id (the stream's `messageId`, usable for feedback). */
  replyId: string;
  replyText: string;
  /** Messages the conversation holds, the reply included. */
  messageCount: number;
}

/** Longest derived title before it is cut (hosted: 100 characters plus "..."). */
const TITLE_LENGTH = 100;

/** The title of a new conversation: its first user message, cut to 100 characters plus "...". */
export function titleFrom(text: string): string {
  const chars = [...text.trim()];
  return chars.length > TITLE_LENGTH ? `${chars.slice(0, TITLE_LENGTH).join('')}...` : chars.join('');
}

/** A server-made conversation id, in the hosted widget's `conv_…` style. */
export function newConversationId(): string {
  return `conv_${randomUUID().replaceAll('-', '')}`;
}

/** A server-made message id. Client ids are never stored, so they cannot collide or be replayed. */
export function newMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/**
 * Answers one chat request: appends the user's message (unless it is a regeneration of an answer
 * the conversation already asked for) and the deterministic reply to the caller's conversation
 * (created on first use) in one write, under the caps.
 * @throws ServerError 404 (the id is someone else's), 422 (a cap is reached).
 */
export async function answerChat(
  conversations: ChatConversations,
  caller: Caller,
  request: ChatRequest,
  limits: ChatLimits,
  now: Date = new Date(),
): Promise<ChatTurn> {
  const conversationId = request.conversationId ?? newConversationId();
  // The count in the reply is read first; the caps themselves are enforced by the write below.
  const existing = await conversations.get(caller.owner, conversationId, { page: 1, limit: 1 });
  // A regenerated answer replaces the client's last reply; its question is stored already.
  const askedBefore = request.regenerate && existing !== undefined;
  const messageCount = (existing?.conversation.messageCount ?? 0) + (askedBefore ? 1 : 2);
  const replyText = assistantReply(caller.id, request.userText, messageCount);
  const createdAt = now.toISOString();
  const userMessage: StoredMessage = { id: newMessageId(), role: 'user', content: request.userText, parts: request.userParts, createdAt };
  const reply: StoredMessage = { id: newMessageId(), role: 'assistant', content: replyText, parts: [{ type: 'text', text: replyText }], createdAt };

  const result = await conversations.append(
    caller.owner,
    conversationId,
    { agentId: caller.agentId, title: titleFrom(request.userText) },
    askedBefore ? [reply] : [userMessage, reply],
    limits,
  );
  if (!result.ok) {
    switch (result.reason) {
      case 'foreign':
        throw new ServerError('not_found', 'Conversation not found');
      case 'too_many_conversations':
        throw new ServerError('unprocessable_entity', `An identity may hold at most ${limits.maxConversationsPerOwner} conversations.`);
      case 'too_many_messages':
        throw new ServerError('unprocessable_entity', `A conversation may hold at most ${limits.maxMessagesPerConversation} messages; start a new one.`);
    }
  }
  return { conversationId, replyId: reply.id, replyText, messageCount: result.conversation.messageCount };
}
