export * from './order-placed.js';
export * from './cloud-event.js';
export * from './fulfilment.js';
