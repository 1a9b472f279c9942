import { topology } from '@orderflow/topology';
import { orderflow } from './orderflow.js';
import { loadSettings } from './settings.js';

const system = orderflow(topology, loadSettings());

export const orderApiUrl = system.orderApiUrl;
export const orderApiAddress = system.orderApiAddress;
export const imageRepository = system.imageRepository;
export const topics = system.topics;
export const subscriptions = system.subscriptions;
export const analyticsDataset = system.analyticsDataset;
