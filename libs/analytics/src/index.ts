export * from './columns.js';
export * from './tables.js';
export * from './views.js';
