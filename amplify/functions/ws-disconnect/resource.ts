import { defineChatFunction } from '../define-chat-function';

/** $disconnect: deletes the socket's row. */
export const wsDisconnect = defineChatFunction({
  name: 'ws-disconnect',
  entry: new URL('./handler.ts', import.meta.url),
  timeoutSeconds: 10,
  memoryMB: 256,
});
