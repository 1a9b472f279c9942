export * from './config.js';
export * from './errors.js';
export * from './gcp.js';
export * from './logger.js';
export * from './problem-middleware.js';
export * from './server.js';
export * from './trace.js';
