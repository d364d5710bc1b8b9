import { defineChatFunction } from '../define-chat-function';
import { API_INTEGRATION_MAX_SECONDS } from '../function-defaults';

/** sendMessage, ping and $default routes: stores, broadcasts and replies to the sender; full API budget and more memory, as for store-message. */
export const wsMessage = defineChatFunction({
  name: 'ws-message',
  entry: new URL('./handler.ts', import.meta.url),
  timeoutSeconds: API_INTEGRATION_MAX_SECONDS,
  memoryMB: 512,
});
