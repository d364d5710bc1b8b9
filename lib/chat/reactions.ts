/** Reactions as people read them: chip names ("👍 2 reactions, react with 👍") and who reacted. */
import type { Reaction } from '../protocol';

/** Most names a "who reacted" line lists before "and N others". */
export const WHO_MAX_NAMES = 10;

/** The accessible name of a reaction chip: count first, then what choosing it does. */
export function chipLabel(reaction: Reaction): string {
  const n = reaction.userIds.length;
  return `${reaction.emoji} ${n} ${n === 1 ? 'reaction' : 'reactions'}, react with ${reaction.emoji}`;
}

/** "Ada, Bob and 3 others reacted with 👍" ("You" for the reader, first). */
export function whoReacted(reaction: Reaction, selfId: string | undefined, nameOf: (userId: string) => string | undefined): string {
  const ids = [...reaction.userIds].sort((a, b) => (a === selfId ? -1 : b === selfId ? 1 : 0));
  const names = ids.slice(0, WHO_MAX_NAMES).map((id) => (id === selfId ? 'You' : (nameOf(id) ?? 'Someone')));
  const others = ids.length - names.length;
  if (others > 0) names.push(`${others} ${others === 1 ? 'other' : 'others'}`);
  const list = names.length <= 1 ? (names[0] ?? 'Nobody') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${list} reacted with ${reaction.emoji}`;
}

/** Whether the reader is among the people who reacted. */
export const reactedByMe = (reaction: Reaction, selfId: string | undefined) => selfId !== undefined && reaction.userIds.includes(selfId);
