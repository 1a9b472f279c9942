export * from './ports.js';
export * from './firestore-outbox.js';
export * from './in-memory-outbox.js';
export * from './pubsub-publisher.js';
export * from './publish-breaker.js';
export * from './publish-committed.js';
export * from './relay.js';
export * from './relay-endpoint.js';
