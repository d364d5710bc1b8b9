import { defineChatFunction } from '../define-chat-function';

/** Every rooms HTTP route (my rooms, browse, create, join/leave, members, DMs, read position, mute). */
export const rooms = defineChatFunction({
  name: 'rooms',
  entry: new URL('./handler.ts', import.meta.url),
  timeoutSeconds: 15,
  memoryMB: 512,
});
