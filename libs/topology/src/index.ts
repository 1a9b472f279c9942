export * from './topology.js';
export * from './subscriptions.js';
