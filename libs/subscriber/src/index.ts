export * from './app.js';
export * from './config.js';
export * from './firestore-ledger.js';
export * from './in-memory-ledger.js';
export * from './ledger.js';
export * from './push-envelope.js';
export * from './push-handler.js';
export * from './runtime.js';
