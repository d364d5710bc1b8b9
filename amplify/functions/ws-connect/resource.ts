import { defineChatFunction } from '../define-chat-function';

/** $connect: records the socket in its room. */
export const wsConnect = defineChatFunction({
  name: 'ws-connect',
  entry: new URL('./handler.ts', import.meta.url),
  timeoutSeconds: 10,
  memoryMB: 256,
});
