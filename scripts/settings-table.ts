/**
 * Rewrites the settings table in docs/deploy.md from amplify/settings.ts (settings.test.ts fails until you do).
 *
 *   npx tsx scripts/settings-table.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withSettingsTable } from '../amplify/settings';

const doc = resolve(import.meta.dirname, '../docs/deploy.md');
const before = readFileSync(doc, 'utf8');
const after = withSettingsTable(before);
writeFileSync(doc, after);
console.log(before === after ? 'docs/deploy.md already up to date' : 'docs/deploy.md: settings table updated');
