import { defineFunction } from '@aws-amplify/backend';
import { FUNCTION_DEFAULTS } from '../function-defaults';

/** $disconnect: deletes the socket's row. */
export const wsDisconnect = defineFunction({
  ...FUNCTION_DEFAULTS,
  name: 'ws-disconnect',
  entry: './handler.ts',
  timeoutSeconds: 10,
  memoryMB: 256,
});
