import type { StoredMessagePart } from '../state/conversation-store.js';
import type { ChatLimits } from './chat-limits.js';
import { parseJsonObject } from '../core/json-body.js';
import { ServerError } from '../core/errors.js';

/** What a chat request asks for, whichever of the two chat routes it came through. */
export interface ChatRequest {
  /** The conversation to append to; `undefined` → the server makes one. */
  conversationId: string | undefined;
  /** The last message of the request (a user message): the text the assistant answers. */
  userText: string;
  /** Its text parts, as they are stored. */
  userParts: StoredMessagePart[];
  /** `false` → one JSON `chat.completion` object instead of a stream. */
  stream: boolean;
  /**
   * The AI SDK's `trigger: 'regenerate-message'`: the client dropped the last reply and asks again
   * for its last (already stored) user message, so only the new reply is appended.
   */
  regenerate: boolean;
}

const ROLES = new Set(['user', 'assistant', 'system', 'developer']);
/** Ids the client may choose: the hosted widget's `conv_…`, the AI SDK's chat ids, UUIDs. */
const CONVERSATION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const MAX_PARTS = 100;

function shapeError(detail: string): never {
  throw new ServerError('unprocessable_entity', detail);
}

/**
 * The text parts of one message. Accepts every shape real clients send: `content` as a string
 * (hosted, OpenAI), `content` as an array of `{type:'text', text}` (OpenAI), and AI SDK UI message
 * `parts`. Parts other than text (files, tool calls, step markers) are accepted and not stored.
 */
function textPartsOf(message: Record<string, unknown>, where: string): StoredMessagePart[] {
  const { content, parts } = message;
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const list = Array.isArray(parts) ? parts : Array.isArray(content) ? content : undefined;
  if (!list) shapeError(`${where} needs "content" (a string) or "parts" (an array).`);
  if (list.length > MAX_PARTS) shapeError(`${where} has more than ${MAX_PARTS} parts.`);
  const texts: StoredMessagePart[] = [];
  for (const [i, part] of list.entries()) {
    const { type, text } = (typeof part === 'object' && part !== null ? part : {}) as Record<string, unknown>;
    if (typeof type !== 'string') shapeError(`${where}.parts[${i}].type must be a string.`);
    if (type !== 'text') continue;
    if (typeof text !== 'string') shapeError(`${where}.parts[${i}].text must be a string.`);
    texts.push({ type: 'text', text });
  }
  return texts;
}

/**
 * Validates a chat body — the hosted `{messages, conversationId?, id?, stream?}`, exactly what the
 * AI SDK's `DefaultChatTransport` sends (`{id, messages, trigger, messageId}` plus its `body`), or
 * OpenAI's `{model, messages, stream}` — and returns what the assistant answers.
 * Unknown keys are ignored. The AI SDK's chat `id` names the conversation when no
 * `conversationId` is given, so a plain AI SDK client keeps one conversation per chat.
 * @throws ServerError 400 (not JSON), 413 (message too large), 422 (wrong shape).
 */
export function parseChatRequest(text: string, limits: ChatLimits, options: { streamDefault?: boolean } = {}): ChatRequest {
  const body = parseJsonObject(text);
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > limits.maxRequestMessages) {
    shapeError(`"messages" must be an array of 1 to ${limits.maxRequestMessages} messages.`);
  }
  let last: { role: string; parts: StoredMessagePart[] } | undefined;
  for (const [i, m] of messages.entries()) {
    const message = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
    const { role } = message;
    if (typeof role !== 'string' || !ROLES.has(role)) shapeError(`messages[${i}].role must be "user", "assistant" or "system".`);
    last = { role, parts: textPartsOf(message, `messages[${i}]`) };
  }
  if (last?.role !== 'user') shapeError('The last message must be a user message.');

  const userText = last.parts.map((p) => p.text).join('');
  if (Buffer.byteLength(userText, 'utf8') > limits.maxMessageBytes) {
    throw new ServerError('payload_too_large', `A message must not exceed ${limits.maxMessageBytes} bytes.`);
  }
  const conversationId = body.conversationId ?? body.id;
  if (conversationId !== undefined && conversationId !== null && (typeof conversationId !== 'string' || !CONVERSATION_ID.test(conversationId))) {
    shapeError('"conversationId" must be 1 to 128 characters of A-Z a-z 0-9 _ . : -');
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') shapeError('"stream" must be a boolean.');
  return {
    regenerate: body.trigger === 'regenerate-message',
    conversationId: typeof conversationId === 'string' ? conversationId : undefined,
    userText,
    userParts: last.parts,
    stream: body.stream ?? options.streamDefault ?? true,
  };
}
