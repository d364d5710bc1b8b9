import { defineChatFunction } from '../define-chat-function';

/** $connect REQUEST authorizer: consumes the `?ticket=` one-time ticket. */
export const wsAuthorizer = defineChatFunction({
  name: 'ws-authorizer',
  entry: new URL('./handler.ts', import.meta.url),
  timeoutSeconds: 10,
  memoryMB: 256,
});
