import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { toPage, type Page } from '../app-store.js';
import type {
  AppendResult,
  ConversationOwner,
  ConversationRecord,
  ConversationStore,
  EventInput,
  EventResult,
  FeedbackInput,
  StoredMessage,
  StoredMessagePart,
  TransferResult,
} from '../conversation-store.js';
import { conversationOwnerKey as ownerKeyOf } from '../conversation-store.js';
import { newMessages } from '../new-messages.js';
import { sweepBatch } from './dialect-helpers.js';
import type { Database, SqlEngine } from './schema.js';

/** Tunables of {@link SqlConversationStore}. */
export interface SqlConversationStoreOptions {
  /** How long analytics events are kept. Default 7 days. */
  eventRetentionMs?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** The columns of a {@link ConversationRecord}: a conversation row less its owner columns. */
const RECORD_COLUMNS = ['id', 'agentId', 'title', 'messageCount', 'createdAt', 'updatedAt'] as const satisfies readonly (keyof ConversationRecord)[];

/** The arguments of {@link ConversationStore.append}, declared there once. */
type AppendArgs = Parameters<ConversationStore['append']>;

/** Carries a refusal out of a transaction so everything it wrote is rolled back. */
class Refusal extends Error {
  constructor(readonly result: AppendResult & { ok: false }) {
    super(result.reason);
  }
}

/**
 * {@link ConversationStore} on SQLite or PostgreSQL. An append is one transaction: the
 * conversation row is created (`ON CONFLICT DO NOTHING`) or locked (`FOR UPDATE` on
 * PostgreSQL; SQLite serialises writers), the per-owner count is raised by a conditional
 * upsert that refuses past the cap, and messages get consecutive positions — so concurrent
 * appends on any number of instances cannot overshoot either cap. Refusals roll back.
 */
export class SqlConversationStore implements ConversationStore {
  readonly #retentionMs: number;
  readonly #now: () => number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
    options: SqlConversationStoreOptions = {},
  ) {
    this.#retentionMs = options.eventRetentionMs ?? 7 * 24 * 3600_000;
    this.#now = options.now ?? Date.now;
  }

  async append(...args: AppendArgs): Promise<AppendResult> {
    try {
      return await this.db.transaction().execute((trx) => this.#append(trx, ...args));
    } catch (error) {
      if (error instanceof Refusal) return error.result;
      throw error;
    }
  }

  async #append(trx: Transaction<Database>, ...[owner, id, init, messages, limits]: AppendArgs): Promise<AppendResult> {
    const ownerKey = ownerKeyOf(owner);
    const at = new Date(this.#now()).toISOString();
    const inserted = await trx
      .insertInto('conversations')
      .values({
        id,
        ownerKey,
        tenantId: owner.tenantId,
        projectId: owner.projectId,
        appId: owner.appId,
        ownerId: owner.ownerId,
        agentId: init.agentId,
        title: init.title,
        messageCount: 0,
        createdAt: at,
        updatedAt: at,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    const row =
      inserted ??
      (await trx
        .selectFrom('conversations')
        .selectAll()
        .where('id', '=', id)
        .$if(this.engine === 'postgres', (qb) => qb.forUpdate())
        .executeTakeFirstOrThrow());
    if (row.ownerKey !== ownerKey) throw new Refusal({ ok: false, reason: 'foreign' });

    const batchIds = [...new Set(messages.map((m) => m.id))];
    const held =
      inserted || batchIds.length === 0
        ? []
        : await trx
            .selectFrom('conversation_messages')
            .select('id')
            .where('conversationId', '=', id)
            .where('id', 'in', batchIds)
            .execute();
    const fresh = newMessages(new Set(held.map((m) => m.id)), messages);
    if (row.messageCount + fresh.length > limits.maxMessagesPerConversation) {
      throw new Refusal({ ok: false, reason: 'too_many_messages' });
    }
    if (inserted) await this.#countNewConversation(trx, ownerKey, limits.maxConversationsPerOwner);

    if (fresh.length > 0) {
      await trx
        .insertInto('conversation_messages')
        .values(
          fresh.map((message, i) => ({
            conversationId: id,
            position: row.messageCount + i,
            id: message.id,
            role: message.role,
            content: message.content,
            parts: JSON.stringify(message.parts),
            createdAt: message.createdAt,
          })),
        )
        .execute();
    }
    const updated = await trx
      .updateTable('conversations')
      .set((eb) => ({
        messageCount: row.messageCount + fresh.length,
        updatedAt: at,
        title: eb.fn.coalesce('title', eb.val(init.title)),
      }))
      .where('id', '=', id)
      .returning(RECORD_COLUMNS)
      .executeTakeFirstOrThrow();
    return { ok: true, conversation: updated, created: inserted !== undefined };
  }

  async #countNewConversation(trx: Transaction<Database>, ownerKey: string, max: number): Promise<void> {
    if (max < 1) throw new Refusal({ ok: false, reason: 'too_many_conversations' });
    const counted = await trx
      .insertInto('conversation_owners')
      .values({ ownerKey, conversationCount: 1 })
      .onConflict((oc) =>
        oc
          .column('ownerKey')
          .doUpdateSet({ conversationCount: (eb) => eb('conversation_owners.conversationCount', '+', 1) })
          .where('conversation_owners.conversationCount', '<', max),
      )
      .returning('conversationCount')
      .executeTakeFirst();
    if (!counted) throw new Refusal({ ok: false, reason: 'too_many_conversations' });
  }

  async list(owner: ConversationOwner, query: { page: number; limit: number }): Promise<Page<ConversationRecord>> {
    const mine = this.db.selectFrom('conversations').where('ownerKey', '=', ownerKeyOf(owner));
    const { total } = await mine.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await mine
      .select(RECORD_COLUMNS)
      .orderBy('updatedAt', 'desc')
      .orderBy('id')
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)
      .execute();
    return toPage(rows, Number(total), query);
  }

  async get(
    owner: ConversationOwner,
    id: string,
    query: { page: number; limit: number },
  ): Promise<{ conversation: ConversationRecord; messages: Page<StoredMessage> } | undefined> {
    const conversation = await this.db
      .selectFrom('conversations')
      .select(RECORD_COLUMNS)
      .where('id', '=', id)
      .where('ownerKey', '=', ownerKeyOf(owner))
      .executeTakeFirst();
    if (!conversation) return undefined;
    const messages = await this.db
      .selectFrom('conversation_messages')
      .select(['id', 'role', 'content', 'parts', 'createdAt'])
      .where('conversationId', '=', id)
      .orderBy('position')
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)
      .execute();
    const data = messages.map((m) => ({ ...m, parts: JSON.parse(m.parts) as StoredMessagePart[] }));
    return { conversation, messages: toPage(data, conversation.messageCount, query) };
  }

  async addFeedback(owner: ConversationOwner, feedback: FeedbackInput): Promise<boolean> {
    const mine = await this.db
      .selectFrom('conversations')
      .select('id')
      .where('id', '=', feedback.conversationId)
      .where('ownerKey', '=', ownerKeyOf(owner))
      .executeTakeFirst();
    if (!mine) return false;
    const values = {
      conversationId: feedback.conversationId,
      messageKey: feedback.messageId ?? '',
      type: feedback.type,
      details: JSON.stringify(feedback.details ?? null),
      createdAt: new Date(this.#now()).toISOString(),
    };
    await this.db
      .insertInto('conversation_feedback')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['conversationId', 'messageKey']).doUpdateSet({ type: values.type, details: values.details, createdAt: values.createdAt }),
      )
      .execute();
    return true;
  }

  async addEvent(owner: ConversationOwner, event: EventInput): Promise<EventResult> {
    if (event.conversationId !== null) {
      const mine = await this.db
        .selectFrom('conversations')
        .select('id')
        .where('id', '=', event.conversationId)
        .where('ownerKey', '=', ownerKeyOf(owner))
        .executeTakeFirst();
      if (!mine) return 'unknown_conversation';
      if (event.messageId !== null) {
        const message = await this.db
          .selectFrom('conversation_messages')
          .select('id')
          .where('conversationId', '=', event.conversationId)
          .where('id', '=', event.messageId)
          .executeTakeFirst();
        if (!message) return 'unknown_message';
      }
    } else if (event.messageId !== null) {
      return 'unknown_message';
    }
    await this.db
      .insertInto('conversation_events')
      .values({
        id: randomUUID(),
        ownerKey: ownerKeyOf(owner),
        type: event.type,
        conversationId: event.conversationId,
        messageId: event.messageId,
        properties: JSON.stringify(event.properties ?? null),
        createdAtMs: this.#now(),
      })
      .execute();
    return 'stored';
  }

  /** Deletes up to one batch of events older than the retention period. */
  async sweep(): Promise<number> {
    return sweepBatch(this.db, { table: 'conversation_events', key: 'id', expiresAt: 'createdAtMs', inclusive: false }, this.#now() - this.#retentionMs);
  }

  async transferAll(from: ConversationOwner, to: ConversationOwner, maxConversationsPerOwner: number): Promise<TransferResult> {
    const fromKey = ownerKeyOf(from);
    const toKey = ownerKeyOf(to);
    if (fromKey === toKey) return { ok: true, moved: 0 };
    try {
      return await this.db.transaction().execute(async (trx) => {
        // The rows actually moved count, so an append racing the transfer cannot skew the counts.
        const moved = await trx
          .updateTable('conversations')
          .set({ ownerKey: toKey, ownerId: to.ownerId })
          .where('ownerKey', '=', fromKey)
          .returning('id')
          .execute();
        const n = moved.length;
        if (n === 0) return { ok: true as const, moved: 0 };
        const counted = await trx
          .insertInto('conversation_owners')
          .values({ ownerKey: toKey, conversationCount: n })
          .onConflict((oc) =>
            oc
              .column('ownerKey')
              .doUpdateSet({ conversationCount: (eb) => eb('conversation_owners.conversationCount', '+', n) })
              .where('conversation_owners.conversationCount', '<=', maxConversationsPerOwner - n),
          )
          .returning('conversationCount')
          .executeTakeFirst();
        if (!counted || n > maxConversationsPerOwner) throw new Refusal({ ok: false, reason: 'too_many_conversations' });
        await trx
          .updateTable('conversation_owners')
          .set((eb) => ({ conversationCount: eb('conversationCount', '-', n) }))
          .where('ownerKey', '=', fromKey)
          .execute();
        await trx.updateTable('conversation_events').set({ ownerKey: toKey }).where('ownerKey', '=', fromKey).execute();
        return { ok: true as const, moved: n };
      });
    } catch (error) {
      if (error instanceof Refusal) return { ok: false, reason: 'too_many_conversations' };
      throw error;
    }
  }
}
