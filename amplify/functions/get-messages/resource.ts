import { defineChatFunction } from '../define-chat-function';

/** GET /rooms/{roomId}/messages: one page of a room's history. */
export const getMessages = defineChatFunction({
  name: 'get-messages',
  entry: new URL('./handler.ts', import.meta.url),
  timeoutSeconds: 10,
  memoryMB: 256,
});
