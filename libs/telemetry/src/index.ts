export * from './config.js';
export * from './sdk.js';
