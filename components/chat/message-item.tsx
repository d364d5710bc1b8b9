/**
 * Kept for existing callers: a stored message is components/message/message-row.tsx (the timeline supplies the
 * list item around it).
 */
export { MessageRow as MessageItem } from '../message/message-row';
