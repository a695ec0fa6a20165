import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConversationOwner, StoredMessage } from '../../../../server/state/conversation-store.js';
import { withStores, type OpenStores } from './harness.js';

const owner: ConversationOwner = { tenantId: 'tenant_a', projectId: 'project_a', appId: 'app_a', ownerId: 'anon_1' };
const stranger: ConversationOwner = { ...owner, ownerId: 'anon_2' };
const limits = { maxConversationsPerOwner: 3, maxMessagesPerConversation: 4 };
const init = { agentId: 'agent_a', title: 'Hello' };

function message(id: string, role: StoredMessage['role'] = 'user', at = '2026-01-01T00:00:00.000Z'): StoredMessage {
  return { id, role, content: `text of ${id}`, parts: [{ type: 'text', text: `text of ${id}` }], createdAt: at };
}

export function conversationContract(open: OpenStores): void {
  describe('ConversationStore', () => {
    it('creates on first append, appends after, and reads back in order', () =>
      withStores(open, async ({ conversations }, clock) => {
        const created = await conversations.append(owner, 'conv_1', init, [message('m1'), message('m2', 'assistant')], limits);
        assert.ok(created.ok);
        assert.equal(created.created, true);
        assert.equal(created.conversation.messageCount, 2);
        assert.equal(created.conversation.title, 'Hello');
        assert.equal(created.conversation.agentId, 'agent_a');
        clock.advance(1_000);
        const appended = await conversations.append(owner, 'conv_1', { agentId: null, title: 'ignored' }, [message('m3')], limits);
        assert.ok(appended.ok);
        assert.equal(appended.created, false);
        assert.equal(appended.conversation.title, 'Hello', 'the first title stays');
        assert.equal(appended.conversation.messageCount, 3);
        assert.ok(appended.conversation.updatedAt > appended.conversation.createdAt);
        const got = await conversations.get(owner, 'conv_1', { page: 1, limit: 2 });
        assert.deepEqual(got?.messages.data.map((m) => m.id), ['m1', 'm2']);
        assert.deepEqual(got?.messages.pagination, { page: 1, limit: 2, total: 3, pages: 2 });
        assert.deepEqual((await conversations.get(owner, 'conv_1', { page: 2, limit: 2 }))?.messages.data, [message('m3')]);
        assert.deepEqual(got?.messages.data[1], message('m2', 'assistant'), 'parts and role survive the round trip');
      }));

    it("never lets another owner read or extend a conversation (answers 'foreign')", () =>
      withStores(open, async ({ conversations }) => {
        await conversations.append(owner, 'conv_1', init, [message('m1')], limits);
        assert.deepEqual(await conversations.append(stranger, 'conv_1', init, [message('x')], limits), { ok: false, reason: 'foreign' });
        for (const other of [stranger, { ...owner, appId: 'app_b' }, { ...owner, tenantId: 'tenant_b' }, { ...owner, tenantId: null }]) {
          assert.equal(await conversations.get(other, 'conv_1', { page: 1, limit: 10 }), undefined);
          assert.equal((await conversations.list(other, { page: 1, limit: 10 })).pagination.total, 0);
        }
        assert.equal((await conversations.get(owner, 'conv_1', { page: 1, limit: 10 }))?.conversation.messageCount, 1);
      }));

    it('skips messages the conversation already holds (a client may resend its history)', () =>
      withStores(open, async ({ conversations }) => {
        await conversations.append(owner, 'conv_1', init, [message('m1'), message('m1')], limits);
        const again = await conversations.append(owner, 'conv_1', init, [message('m1'), message('m2')], limits);
        assert.ok(again.ok);
        assert.equal(again.conversation.messageCount, 2);
      }));

    it('enforces both caps, counting only new messages', () =>
      withStores(open, async ({ conversations }) => {
        assert.deepEqual(
          await conversations.append(owner, 'conv_big', init, ['a', 'b', 'c', 'd', 'e'].map((id) => message(id)), limits),
          { ok: false, reason: 'too_many_messages' },
        );
        assert.equal(await conversations.get(owner, 'conv_big', { page: 1, limit: 10 }), undefined, 'nothing was created');
        await conversations.append(owner, 'conv_1', init, ['a', 'b', 'c'].map((id) => message(id)), limits);
        assert.deepEqual(await conversations.append(owner, 'conv_1', init, [message('d'), message('e')], limits), {
          ok: false,
          reason: 'too_many_messages',
        });
        assert.equal((await conversations.append(owner, 'conv_1', init, [message('a'), message('d')], limits)).ok, true);
        await conversations.append(owner, 'conv_2', init, [message('x')], limits);
        await conversations.append(owner, 'conv_3', init, [message('x')], limits);
        assert.deepEqual(await conversations.append(owner, 'conv_4', init, [message('x')], limits), {
          ok: false,
          reason: 'too_many_conversations',
        });
        assert.equal((await conversations.append(stranger, 'conv_s', init, [message('x')], limits)).ok, true, 'caps are per owner');
      }));

    it('keeps the caps under concurrent appends', () =>
      withStores(open, async ({ conversations }) => {
        const creations = await Promise.all(
          Array.from({ length: 8 }, (_, i) => conversations.append(owner, `conv_${i}`, init, [message('m')], limits)),
        );
        assert.equal(creations.filter((r) => r.ok).length, 3);
        const ok = creations.find((r) => r.ok);
        assert.ok(ok?.ok);
        const appends = await Promise.all(
          Array.from({ length: 8 }, (_, i) => conversations.append(owner, ok.conversation.id, init, [message(`n${i}`)], limits)),
        );
        assert.equal(appends.filter((r) => r.ok).length, 3);
        assert.equal((await conversations.get(owner, ok.conversation.id, { page: 1, limit: 10 }))?.messages.pagination.total, 4);
      }));

    it('lists the most recently updated first', () =>
      withStores(open, async ({ conversations }, clock) => {
        await conversations.append(owner, 'conv_old', init, [message('m')], limits);
        clock.advance(1_000);
        await conversations.append(owner, 'conv_new', init, [message('m')], limits);
        clock.advance(1_000);
        await conversations.append(owner, 'conv_old', init, [message('m2')], limits);
        const page = await conversations.list(owner, { page: 1, limit: 10 });
        assert.deepEqual(page.data.map((c) => c.id), ['conv_old', 'conv_new']);
        assert.deepEqual(page.pagination, { page: 1, limit: 10, total: 2, pages: 1 });
      }));

    it('transfers every conversation of one owner to another, with messages and feedback, within the cap', () =>
      withStores(open, async ({ conversations }) => {
        const user: ConversationOwner = { ...owner, ownerId: 'user:alice' };
        assert.ok((await conversations.append(owner, 'conv_t1', init, [message('m1')], limits)).ok);
        assert.ok((await conversations.append(owner, 'conv_t2', init, [message('m2')], limits)).ok);
        assert.ok(await conversations.addFeedback(owner, { conversationId: 'conv_t1', messageId: 'm1', type: 'positive', details: null }));
        assert.ok((await conversations.append(user, 'conv_u1', init, [message('u1')], limits)).ok);
        assert.deepEqual(await conversations.transferAll(owner, user, limits.maxConversationsPerOwner), { ok: true, moved: 2 });
        const listed = await conversations.list(user, { page: 1, limit: 10 });
        assert.deepEqual(listed.data.map((c) => c.id).sort(), ['conv_t1', 'conv_t2', 'conv_u1']);
        assert.deepEqual((await conversations.get(user, 'conv_t1', { page: 1, limit: 10 }))?.messages.data, [message('m1')]);
        assert.equal(await conversations.get(owner, 'conv_t1', { page: 1, limit: 10 }), undefined, 'the old owner holds nothing');
        assert.equal((await conversations.list(owner, { page: 1, limit: 10 })).data.length, 0);
        assert.equal((await conversations.addEvent(user, { type: 't', conversationId: 'conv_t2', messageId: 'm2', properties: null })), 'stored');
        assert.deepEqual(await conversations.transferAll(owner, user, limits.maxConversationsPerOwner), { ok: true, moved: 0 }, 'a second transfer moves nothing');
        // The cap counts moved conversations: user holds 3 of 3, so the old owner may start again but not push more.
        assert.ok((await conversations.append(owner, 'conv_t3', init, [message('m3')], limits)).ok);
        assert.deepEqual(await conversations.transferAll(owner, user, limits.maxConversationsPerOwner), { ok: false, reason: 'too_many_conversations' });
        assert.ok(await conversations.get(owner, 'conv_t3', { page: 1, limit: 10 }), 'a refused transfer moved nothing');
        const full = await conversations.append(user, 'conv_u2', init, [message('u2')], limits);
        assert.deepEqual(full, { ok: false, reason: 'too_many_conversations' }, 'the moved conversations count against the new owner');
        assert.ok((await conversations.append(owner, 'conv_t4', init, [message('m4')], limits)).ok, 'and no longer against the old one');
      }));

    it("stores feedback only on the owner's conversations, and events", () =>
      withStores(open, async ({ conversations }) => {
        await conversations.append(owner, 'conv_1', init, [message('m1')], limits);
        const feedback = { conversationId: 'conv_1', messageId: 'm1', type: 'positive' as const, details: { note: 'ok' } };
        assert.equal(await conversations.addFeedback(owner, feedback), true);
        assert.equal(await conversations.addFeedback(owner, { ...feedback, type: 'negative' }), true, 'replaces earlier feedback');
        assert.equal(await conversations.addFeedback(owner, { ...feedback, messageId: null }), true);
        assert.equal(await conversations.addFeedback(stranger, feedback), false);
        assert.equal(await conversations.addFeedback(owner, { ...feedback, conversationId: 'conv_missing' }), false);
        const event = { type: 'widget_open', conversationId: null, messageId: null, properties: { a: 1 } };
        assert.equal(await conversations.addEvent(owner, event), 'stored');
        assert.equal(await conversations.addEvent(owner, { ...event, conversationId: 'conv_1', messageId: 'm1' }), 'stored');
        assert.equal(await conversations.addEvent(owner, { ...event, conversationId: 'conv_1' }), 'stored');
        assert.equal(await conversations.addEvent(owner, { ...event, conversationId: 'conv_missing' }), 'unknown_conversation');
        assert.equal(await conversations.addEvent(stranger, { ...event, conversationId: 'conv_1' }), 'unknown_conversation', "another owner's conversation");
        assert.equal(await conversations.addEvent(owner, { ...event, conversationId: 'conv_1', messageId: 'm_missing' }), 'unknown_message');
        assert.equal(await conversations.addEvent(owner, { ...event, messageId: 'm1' }), 'unknown_message', 'a message id needs its conversation');
      }));
  });
}
