import { defineFunction } from '@aws-amplify/backend';
import { API_INTEGRATION_MAX_SECONDS, FUNCTION_DEFAULTS } from '../function-defaults';

/** POST /rooms/{roomId}/messages: stores and broadcasts; a big room takes time, hence the full API budget and more memory (= more CPU). */
export const storeMessage = defineFunction({
  ...FUNCTION_DEFAULTS,
  name: 'store-message',
  entry: './handler.ts',
  timeoutSeconds: API_INTEGRATION_MAX_SECONDS,
  memoryMB: 512,
});
