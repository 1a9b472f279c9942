export * from './topology.js';
export * from './subscriptions.js';
export * from './identity.js';
