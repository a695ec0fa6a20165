import { ProblemError } from './problem.js';

/** One chat message of the request body. */
export interface ChatMessage {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

const ROLES = new Set(['user', 'assistant', 'system']);
const MAX_MESSAGES = 200;

/**
 * Validates `{"messages":[{"role","content"}, …]}` and returns the messages.
 * @throws ProblemError 400 for unparsable JSON, 422 for a body of the wrong shape.
 */
export function parseChatBody(text: string): ChatMessage[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProblemError('bad_request', 'Request body must be JSON.');
  }
  const messages = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).messages : undefined;
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > MAX_MESSAGES) {
    throw new ProblemError('unprocessable_entity', `"messages" must be an array of 1 to ${MAX_MESSAGES} messages.`);
  }
  return messages.map((m: unknown, i) => {
    const { role, content } = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw new ProblemError('unprocessable_entity', `messages[${i}].role must be "user", "assistant" or "system".`);
    }
    if (typeof content !== 'string') throw new ProblemError('unprocessable_entity', `messages[${i}].content must be a string.`);
    return { role: role as ChatMessage['role'], content };
  });
}

/** The last user message; a chat request without one has nothing to answer. */
export function lastUserMessage(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role === 'user') return m.content;
  }
  throw new ProblemError('unprocessable_entity', 'messages must contain at least one user message.');
}

/**
 * The deterministic echo reply, split into word-sized chunks so clients see a
 * real stream: it names the caller's anonymous id and quotes the last user message.
 */
export function echoChunks(anonId: string, message: string): string[] {
  const text = `Hello ${anonId}! You said: "${message}"`;
  return text.match(/\S+\s*/g) ?? [text];
}
