import express from 'express';

/**
 * Express, one object for the services and the telemetry preload, which instruments it
 * (libs/telemetry/src/instrument.ts) before any service builds its app.
 */
export { express };
