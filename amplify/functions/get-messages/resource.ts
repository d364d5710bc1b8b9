import { defineFunction } from '@aws-amplify/backend';
import { FUNCTION_DEFAULTS } from '../function-defaults';

/** GET /rooms/{roomId}/messages: one page of a room's history. */
export const getMessages = defineFunction({
  ...FUNCTION_DEFAULTS,
  name: 'get-messages',
  entry: './handler.ts',
  timeoutSeconds: 10,
  memoryMB: 256,
});
