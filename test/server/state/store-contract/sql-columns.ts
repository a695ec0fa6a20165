import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import type { SqlDatabase } from '../../../../server/state/sql/connect.js';
import { SqlConversationStore } from '../../../../server/state/sql/conversation-store.js';
import { SqlCredentialReferenceStore } from '../../../../server/state/sql/credential-reference-store.js';
import { SqlAppStore } from '../../../../server/state/sql/app-store.js';
import { SqlPairedApiKeyStore } from '../../../../server/state/sql/paired-api-key-store.js';
import { SqlServiceApiKeyStore } from '../../../../server/state/sql/service-api-key-store.js';

/** A JSON value whose keys the camelCase plugin would respell if it ever reached into values. */
const MIXED = { snake_key: 1, camelKey: { inner_key: 2, list: [{ deep_key: 3, deepKey: 4 }] } };
const MIXED_TEXT = '{"snake_key":1,"camelKey":{"inner_key":2,"list":[{"deep_key":3,"deepKey":4}]}}';

/** How queries spell an on-disk column: `expires_at_ms` is `expiresAtMs`. */
const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_, next: string) => next.toUpperCase());

/** The camelCase mapping of the SQL engines (connect.ts): names only, never stored values. */
export function sqlColumnContract(open: () => Promise<SqlDatabase>): void {
  describe('the camelCase column mapping', () => {
    it('names every column of the latest schema in camelCase and reaches it by its on-disk name', async () => {
      const { db, close } = await open();
      try {
        // The introspector runs without plugins: these are the names on disk.
        const tables = await db.introspection.getTables();
        assert.ok(tables.length >= 13, tables.map((t) => t.name).join());
        for (const table of tables) {
          for (const { name: column } of table.columns) {
            const query = db.selectFrom(table.name as 'apps').select(camel(column) as 'id');
            assert.equal(query.compile().sql, `select "${column}" from "${table.name}"`, `${table.name}.${column}`);
            const { rows } = await sql<Record<string, unknown>>`SELECT 1 AS ${sql.raw(`"${column}"`)}`.execute(db);
            assert.deepEqual(Object.keys(rows[0] ?? {}), [camel(column)], `${table.name}.${column} read back`);
          }
        }
      } finally {
        await close();
      }
    });

    it('reads records by their named fields: a column added on disk later reaches no record', async () => {
      const { db, close } = await open();
      try {
        const scope = { tenantId: 'tenant_a', projectId: 'project_a' };
        const service = new SqlServiceApiKeyStore(db);
        const { secret } = await service.create({ ...scope, appId: 'app_a', agentId: 'agent_a', name: 'k', expiresAt: null });
        const paired = new SqlPairedApiKeyStore(db);
        const { apiKey, record: pairedRecord } = await paired.issue({ appId: 'app_a', appName: 'A' });
        const credentials = new SqlCredentialReferenceStore(db);
        const at = '2026-01-01T00:00:00.000Z';
        const reference = { ...scope, id: 'cred_a', name: 'A', type: 'memory' as const, credentialStoreId: 'memory-default', retrievalParams: null, toolId: null, userId: null, createdBy: null, createdAt: at, updatedAt: at };
        await credentials.create(reference);
        await db
          .insertInto('apps')
          .values({ id: 'app_a', tenantId: 'tenant_a', projectId: 'project_a', name: 'A', description: null, type: 'api', defaultAgentId: null, enabled: 1, config: '{"type":"api","api":{}}', lastUsedAt: null, createdAt: at, updatedAt: at })
          .execute();
        // A later schema version's column, holding something no answer may carry.
        for (const table of ['service_api_keys', 'paired_api_keys', 'credential_references', 'apps']) {
          await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN secret_hint TEXT`.execute(db);
          await sql`UPDATE ${sql.table(table)} SET secret_hint = 'do-not-leak'`.execute(db);
        }
        const records = [
          await service.verify(secret),
          (await paired.verify(apiKey)).ok ? await paired.get(pairedRecord.id) : undefined,
          await credentials.get(scope, 'cred_a'),
          await new SqlAppStore(db).get('app_a'),
        ];
        for (const record of records) {
          assert.ok(record, 'the record is read');
          assert.ok(!JSON.stringify(record).includes('do-not-leak'), `no unnamed column in ${JSON.stringify(record)}`);
          assert.ok(!('digest' in record), 'never the digest');
        }
      } finally {
        await close();
      }
    });

    it('gives JSON columns back byte for byte, snake_case and camelCase keys untouched', async () => {
      const { db, engine, close } = await open();
      try {
        assert.equal(JSON.stringify(MIXED), MIXED_TEXT);
        const scope = { tenantId: 'tenant_a', projectId: 'project_a' };
        const credentials = new SqlCredentialReferenceStore(db);
        await credentials.create({
          ...scope,
          id: 'cred_mixed',
          name: 'Mixed',
          type: 'memory',
          credentialStoreId: 'memory-default',
          retrievalParams: MIXED,
          toolId: null,
          userId: null,
          createdBy: null,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
        });
        assert.equal(JSON.stringify((await credentials.get(scope, 'cred_mixed'))?.retrievalParams), MIXED_TEXT);
        assert.equal(JSON.stringify((await credentials.list(scope, { page: 1, limit: 10 })).data[0]?.retrievalParams), MIXED_TEXT);

        const conversations = new SqlConversationStore(db, engine);
        const owner = { ...scope, appId: 'app_a', ownerId: 'anon_1' };
        const parts = [{ type: 'data', ...MIXED }];
        const message = { id: 'm1', role: 'user' as const, content: '', parts, createdAt: '2026-01-01T00:00:00.000Z' };
        const limits = { maxConversationsPerOwner: 1, maxMessagesPerConversation: 1 };
        assert.ok((await conversations.append(owner, 'conv_1', { agentId: null, title: null }, [message], limits)).ok);
        const got = await conversations.get(owner, 'conv_1', { page: 1, limit: 1 });
        assert.equal(JSON.stringify(got?.messages.data[0]?.parts), JSON.stringify(parts));
        assert.ok(await conversations.addFeedback(owner, { conversationId: 'conv_1', messageId: 'm1', type: 'positive', details: MIXED }));
        assert.equal(await conversations.addEvent(owner, { type: 't', conversationId: null, messageId: null, properties: MIXED }), 'stored');

        // The columns as stored, read through the plugin: text, the same bytes.
        await db
          .insertInto('apps')
          .values({
            id: 'app_mixed',
            tenantId: null,
            projectId: 'project_a',
            name: 'Mixed',
            description: null,
            type: 'api',
            defaultAgentId: null,
            enabled: 1,
            config: MIXED_TEXT,
            lastUsedAt: null,
            createdAt: 'x',
            updatedAt: 'x',
          })
          .execute();
        const stored = [
          (await db.selectFrom('apps').select('config').executeTakeFirstOrThrow()).config,
          (await db.selectFrom('credential_references').select('retrievalParams').executeTakeFirstOrThrow()).retrievalParams,
          (await db.selectFrom('conversation_feedback').select('details').executeTakeFirstOrThrow()).details,
          (await db.selectFrom('conversation_events').select('properties').executeTakeFirstOrThrow()).properties,
        ];
        assert.deepEqual(stored, [MIXED_TEXT, MIXED_TEXT, MIXED_TEXT, MIXED_TEXT]);
        assert.equal((await db.selectFrom('conversation_messages').select('parts').executeTakeFirstOrThrow()).parts, JSON.stringify(parts));

        if (engine === 'postgres') {
          // A driver that parses JSON (a PostgreSQL `json` value) hands back an object: its keys stay.
          const { rows } = await sql<{ value: unknown }>`SELECT CAST(${MIXED_TEXT} AS json) AS value`.execute(db);
          assert.equal(JSON.stringify(rows[0]?.value), MIXED_TEXT);
        }
      } finally {
        await close();
      }
    });
  });
}
