import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';

export const html = (node: VNode) => render(node);
export const page = (node: VNode) => `<!doctype html>${render(node)}`;
