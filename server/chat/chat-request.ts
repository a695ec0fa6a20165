import { z } from 'zod';
import type { StoredMessagePart } from '../state/conversation-store.js';
import type { ChatLimits } from './chat-limits.js';
import { parseJsonObject } from '../core/json-body.js';
import { ServerError, type ErrorCode } from '../core/errors.js';

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

const ROLES = ['user', 'assistant', 'system', 'developer'] as const;
/** Ids the client may choose: the hosted widget's `conv_…`, the AI SDK's chat ids, UUIDs. */
const CONVERSATION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const MAX_PARTS = 100;

// Every failure is one 422 (or 413) whose detail names the message and part it is about. Issues
// are reported in the order the body is read: the messages in order (each its role, then its
// parts), then the last message's role and size, then the conversation id and `stream`.

type Path = readonly (string | number)[];
/** `messages[2]` for any path inside the third message. */
const messageAt = (path: Path) => `messages[${String(path[1])}]`;
/** `messages[2].parts[0]` (also for OpenAI `content` arrays, which are read as parts). */
const partAt = (path: Path) => `${messageAt(path)}.parts[${String(path[3])}]`;
/** A zod error map that always answers `message(path)`. */
const says = (message: (path: Path) => string): z.ZodErrorMap => (issue) => ({ message: message(issue.path) });

/**
 * One part: `type` a string; a `text` part's `text` a string. Parts other than text (files,
 * tool calls, step markers) are accepted and not stored. A part that is not an object is read as `{}`.
 */
const part = z.preprocess(
  (value) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}),
  z
    .object({ type: z.string({ errorMap: says((path) => `${partAt(path)}.type must be a string.`) }), text: z.unknown() })
    .superRefine(({ type, text }, ctx) => {
      if (type === 'text' && typeof text !== 'string') {
        ctx.addIssue({ code: 'custom', path: ['text'], message: `${partAt(ctx.path)}.text must be a string.` });
      }
    }),
);

/**
 * The text parts of one message, from every shape real clients send: `content` as a string
 * (hosted, OpenAI), `content` as an array of `{type:'text', text}` (OpenAI), and AI SDK UI message
 * `parts` (read first when `content` is not a string).
 */
const parts = z
  .array(part, {
    errorMap: (issue) => ({
      message: issue.code === 'too_big'
        ? `${messageAt(issue.path)} has more than ${MAX_PARTS} parts.`
        : `${messageAt(issue.path)} needs "content" (a string) or "parts" (an array).`,
    }),
  })
  .max(MAX_PARTS);

const message = z.preprocess(
  (value) => {
    const m = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const list = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : Array.isArray(m.parts) ? m.parts : Array.isArray(m.content) ? m.content : undefined;
    return { role: m.role, parts: list };
  },
  z.object({
    role: z.enum(ROLES, { errorMap: says((path) => `${messageAt(path)}.role must be "user", "assistant" or "system".`) }),
    parts,
  }),
);

const BAD_CONVERSATION_ID = '"conversationId" must be 1 to 128 characters of A-Z a-z 0-9 _ . : -';
const conversationFields = z.object({
  conversationId: z.string({ errorMap: says(() => BAD_CONVERSATION_ID) }).regex(CONVERSATION_ID, BAD_CONVERSATION_ID).nullish(),
  stream: z.boolean({ errorMap: says(() => '"stream" must be a boolean.') }).optional(),
  trigger: z.unknown(),
});

/** The 413 a too-large user message answers (a zod issue carries it to {@link parseChatRequest}). */
const TOO_LARGE: ErrorCode = 'payload_too_large';

function chatBodySchema(limits: ChatLimits) {
  const count = `"messages" must be an array of 1 to ${limits.maxRequestMessages} messages.`;
  return z
    .object({
      messages: z.array(message, { errorMap: says(() => count) }).min(1, count).max(limits.maxRequestMessages, count),
      conversationId: z.unknown(),
      id: z.unknown(),
      stream: z.unknown(),
      trigger: z.unknown(),
    })
    .transform(({ messages, conversationId, id, stream, trigger }) => {
      const last = messages.at(-1)!;
      const userParts = last.parts.flatMap((p): StoredMessagePart[] => (p.type === 'text' ? [{ type: 'text', text: p.text as string }] : []));
      return { lastRole: last.role, userParts, userText: userParts.map((p) => p.text).join(''), conversationId: conversationId ?? id, stream, trigger };
    })
    .superRefine(({ lastRole, userText }, ctx) => {
      if (lastRole !== 'user') {
        ctx.addIssue({ code: 'custom', message: 'The last message must be a user message.' });
      } else if (Buffer.byteLength(userText, 'utf8') > limits.maxMessageBytes) {
        ctx.addIssue({ code: 'custom', message: `A message must not exceed ${limits.maxMessageBytes} bytes.`, params: { code: TOO_LARGE } });
      }
    })
    .pipe(conversationFields.extend({ userParts: z.custom<StoredMessagePart[]>(), userText: z.string() }));
}

// One schema per limits object (a server has one); a WeakMap so a discarded server frees it.
const schemas = new WeakMap<ChatLimits, ReturnType<typeof chatBodySchema>>();

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
  let schema = schemas.get(limits);
  if (!schema) schemas.set(limits, (schema = chatBodySchema(limits)));
  const result = schema.safeParse(body);
  if (!result.success) {
    const [issue] = result.error.issues;
    const code = issue?.code === 'custom' && issue.params?.code === TOO_LARGE ? TOO_LARGE : 'unprocessable_entity';
    throw new ServerError(code, issue?.message ?? 'The chat request is not valid.');
  }
  const { userParts, userText, conversationId, stream, trigger } = result.data;
  return {
    regenerate: trigger === 'regenerate-message',
    conversationId: typeof conversationId === 'string' ? conversationId : undefined,
    userText,
    userParts,
    stream: stream ?? options.streamDefault ?? true,
  };
}
