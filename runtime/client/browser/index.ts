export { browserAppState, browserNetwork } from './platform';
export { defaultTabLocks, leaseLocks, webLocks, type LeaseOptions, type TabLocks } from './tabLocks';
export { TabDatabase, leaderSync, type LeaderSyncOptions, type TabDatabaseOptions, type TabSession } from './tabDatabase';
export { indexedDbFileStore } from './indexedDbFileStore';
