import { describe } from 'node:test';
import { openSqlite } from '../../../server/state/sql/connect.js';
import { openState } from '../../../server/state/state.js';
import { appStoreContract } from './store-contract/apps.js';
import { storeContract } from './store-contract/index.js';
import { sqlColumnContract } from './store-contract/sql-columns.js';

describe('SQLite stores: the contract', () => {
  storeContract(async (clock) => {
    const state = await openState({ sqlitePath: ':memory:' }, { now: clock.now, log: () => {} });
    return { stores: state, close: () => state.close() };
  });
  appStoreContract(async () => {
    const state = await openState({ sqlitePath: ':memory:' }, { log: () => {} });
    return { apps: state.apps, credentials: state.credentials, close: () => state.close() };
  });
  sqlColumnContract(() => openSqlite(':memory:'));
});
