import { defineFunction } from '@aws-amplify/backend';
import { API_INTEGRATION_MAX_SECONDS, FUNCTION_DEFAULTS } from '../function-defaults';

/** sendMessage, ping and $default routes: stores, broadcasts and replies to the sender; full API budget and more memory, as for store-message. */
export const wsMessage = defineFunction({
  ...FUNCTION_DEFAULTS,
  name: 'ws-message',
  entry: './handler.ts',
  timeoutSeconds: API_INTEGRATION_MAX_SECONDS,
  memoryMB: 512,
});
