import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderApiDoc } from './render-api-doc.ts';

/** Where the generated API reference lives. */
export const API_DOC_FILE = resolve(import.meta.dirname, '../../docs/api.md');

/** `npm run docs:api`: writes docs/api.md from the API table. */
writeFileSync(API_DOC_FILE, renderApiDoc());
console.log(`wrote ${API_DOC_FILE}`);
