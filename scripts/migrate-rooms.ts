/**
 * One-time upgrade to rooms (see docs/rooms.md "Upgrade of existing data"): every room that has messages appears in
 * Browse, its authors become members. Safe to run twice.
 *
 *   npm run migrate:rooms -- --local        # the local stack's data in .local/ (stop `npm start` first)
 *   npm run migrate:rooms                   # deployed tables: set MESSAGES_TABLE, ROOMS_TABLE, MEMBERSHIPS_TABLE
 *                                           # (table names from the realtime stack) and AWS credentials/region
 */
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';

const ROOT = resolve(import.meta.dirname, '..');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  let stop = async () => {};
  if (process.argv.includes('--local')) {
    const dir = join(ROOT, '.local', 'dynamodb');
    if (!existsSync(dir)) throw new Error('No .local/dynamodb here: nothing to migrate (a fresh local stack needs no migration)');
    // Local-only import: the deployed path never loads amplify/local/.
    const { startDynamo } = await import('../amplify/local/dynamo');
    const dynamo = await startDynamo({ dir }).catch((error: Error) => {
      throw new Error(`Could not open .local/dynamodb (${error.message}); stop \`npm start\` first`);
    });
    Object.assign(process.env, dynamo.handlerEnv);
    stop = dynamo.stop;
  }
  try {
    const { migrateRooms } = await import('../amplify/chat/migrate-rooms');
    const report = await migrateRooms((line) => console.log(`  ${line}`));
    console.log(
      `Rooms migration: ${report.messagesScanned} messages scanned, ${report.roomsFound} rooms found, ` +
        `${report.roomsCreated} created, ${report.membershipsCreated} memberships added` +
        (report.skipped.length ? `, skipped (not public ids): ${report.skipped.join(', ')}` : ''),
    );
  } finally {
    await stop();
  }
}

main().catch((error: Error) => {
  console.error(`migrate:rooms failed: ${error.message}`);
  process.exit(1);
});
