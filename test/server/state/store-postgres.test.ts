import { after, before, describe, test } from 'node:test';
import { openPostgres } from '../../../server/state/sql/connect.js';
import { openState } from '../../../server/state/state.js';
import { appStoreContract } from './store-contract/apps.js';
import { storeContract } from './store-contract/index.js';
import { sqlColumnContract } from './store-contract/sql-columns.js';
import { postgresSkipReason, startPostgresCluster, type PostgresCluster } from '../../../scripts/postgres-cluster.js';

const skip = postgresSkipReason();

if (skip) {
  test('PostgreSQL stores: the contract', { skip }, () => {});
} else {
  describe('PostgreSQL stores: the contract', () => {
    let cluster: PostgresCluster;
    before(async () => {
      cluster = await startPostgresCluster();
    });
    after(() => cluster.destroy());

    const open = async (now?: () => number) =>
      openState({ databaseUrl: await cluster.createDatabase(), sqlitePath: ':memory:' }, { log: () => {}, ...(now ? { now } : {}) });

    storeContract(async (clock) => {
      const state = await open(clock.now);
      return { stores: state, close: () => state.close() };
    });
    appStoreContract(async () => {
      const state = await open();
      return { apps: state.apps, credentials: state.credentials, close: () => state.close() };
    });
    sqlColumnContract(async () => openPostgres(await cluster.createDatabase()));
  });
}
