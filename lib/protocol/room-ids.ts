/**
 * Room id rules (public slugs, private `p_…` ids, DM `dm_<low>_<high>` ids): plain functions, no validator.
 * Part of lib/protocol.ts (which re-exports everything here).
 */

/** The public room every user is a member of after upgrade or sign-up (a leaver can rejoin it like any public room). */
export const DEFAULT_ROOM = 'general';

/** A public room's id is its slug: 1-40 lowercase letters, digits and inner dashes (today's rule). */
export const PUBLIC_ROOM_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
/** A private room's id is generated: `p_` + a lowercase ULID. `_` never occurs in a slug, so it cannot collide with a public name. */
export const PRIVATE_ROOM_ID = /^p_[0-9a-z]{26}$/;
/** One user id inside a DM id (Cognito `sub`s are UUIDs). No `_`, so the id splits unambiguously. */
export const DM_USER_ID = /^[A-Za-z0-9-]{1,64}$/;
/** A DM's id is derived from its two members' user ids, sorted: `dm_<lower>_<higher>` — exactly one DM per pair. */
export const DM_ROOM_ID = /^dm_([A-Za-z0-9-]{1,64})_([A-Za-z0-9-]{1,64})$/;

/** Prefixes of generated ids. */
export const ROOM_ID_PREFIX = { private: 'p_', dm: 'dm_' } as const;

/** What kind of room an id names (the kind is visible in the id itself). */
export type RoomKind = 'public' | 'private' | 'dm';

/** Longest room id: a DM id of two 64-character user ids. */
export const ROOM_ID_MAX_LENGTH = 3 + 64 + 1 + 64;

/** Whether `s` is a valid room id of any kind (the rule behind `roomIdSchema`). */
export function isRoomId(s: string): boolean {
  return roomKindOf(s) !== undefined;
}

/** The kind of room `roomId` names, or undefined when it is not a valid room id. */
export function roomKindOf(roomId: string): RoomKind | undefined {
  if (PUBLIC_ROOM_ID.test(roomId)) return 'public';
  if (PRIVATE_ROOM_ID.test(roomId)) return 'private';
  if (isValidDmId(roomId)) return 'dm';
  return undefined;
}

/** A DM id is valid only with its two user ids distinct and in sorted order (so each pair has exactly one). */
function isValidDmId(roomId: string): boolean {
  const m = DM_ROOM_ID.exec(roomId);
  return !!m && m[1]! < m[2]!;
}

/** The DM id for two different users (order of arguments does not matter). Throws for one user or an unusable id. */
export function dmRoomId(userA: string, userB: string): string {
  if (userA === userB) throw new Error('A direct message needs two different people');
  if (!DM_USER_ID.test(userA) || !DM_USER_ID.test(userB)) throw new Error('User ids in a DM use letters, digits and dashes');
  const [low, high] = userA < userB ? [userA, userB] : [userB, userA];
  return `${ROOM_ID_PREFIX.dm}${low}_${high}`;
}

/** The two user ids of a DM id, or undefined when `roomId` is not a DM. */
export function dmMembers(roomId: string): readonly [string, string] | undefined {
  const m = DM_ROOM_ID.exec(roomId);
  return m && m[1]! < m[2]! ? [m[1]!, m[2]!] : undefined;
}
