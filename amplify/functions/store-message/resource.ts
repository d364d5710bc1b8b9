import { defineChatFunction } from '../define-chat-function';
import { API_INTEGRATION_MAX_SECONDS } from '../function-defaults';

/** POST /rooms/{roomId}/messages: stores and broadcasts; a big room takes time, hence the full API budget and more memory (= more CPU). */
export const storeMessage = defineChatFunction({
  name: 'store-message',
  entry: new URL('./handler.ts', import.meta.url),
  timeoutSeconds: API_INTEGRATION_MAX_SECONDS,
  memoryMB: 512,
});
