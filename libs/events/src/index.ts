export * from './order-placed.js';
export * from './order-lifecycle.js';
export * from './customer-segment-changed.js';
export * from './cloud-event.js';
export * from './fulfilment.js';
