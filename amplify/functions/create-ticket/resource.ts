import { defineChatFunction } from '../define-chat-function';

/** POST /tickets: issues a one-time WebSocket ticket for the signed-in user. */
export const createTicket = defineChatFunction({
  name: 'create-ticket',
  entry: new URL('./handler.ts', import.meta.url),
  timeoutSeconds: 10,
  memoryMB: 256,
});
