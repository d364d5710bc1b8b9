'use client';
/**
 * What a person can do with a message, provided once per room by ChatRoom so the (virtualized) list passes no
 * handlers to its rows. Keep the value stable (useMemo): every row reads it.
 */
import { createContext, useContext } from 'react';
import type { ChatMessage } from '../../lib/protocol';

export interface MessageActions {
  /** Put the composer into edit mode for one's own message. */
  edit(message: ChatMessage): void;
  /** Delete one's own message (after the row's confirmation). */
  remove(message: ChatMessage): void;
  /** Put the composer into reply mode for this message. */
  reply(message: ChatMessage): void;
  /** Set or unset the reader's reaction. */
  react(message: ChatMessage, emoji: string, op: 'set' | 'unset'): void;
  /** Show the original of a reply (loads the history around it when it is not held). */
  jumpTo(messageId: string): void;
  /** The held copy of a message (a reply quote shows its current text). */
  held(messageId: string): ChatMessage | undefined;
}

export const MessageActionsContext = createContext<MessageActions | undefined>(undefined);

/** The actions of the room on screen (undefined outside one: rows then show no actions). */
export const useMessageActions = () => useContext(MessageActionsContext);
