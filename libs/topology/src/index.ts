export * from './topology.js';
export * from './subscriptions.js';
export * from './identity.js';
export * from './metrics.js';
