/**
 * Rewrites the accepted-findings table in README.md's Security section from
 * amplify/stacks/nag-acknowledgements.ts (run after changing that list; nag.infra.test.ts fails until you do).
 *
 *   npx tsx scripts/security-table.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withAcknowledgementTable } from '../amplify/stacks/nag-report';

const readme = resolve(import.meta.dirname, '../README.md');
const before = readFileSync(readme, 'utf8');
const after = withAcknowledgementTable(before);
writeFileSync(readme, after);
console.log(before === after ? 'README.md already up to date' : 'README.md: acknowledgement table updated');
