import { defineFunction } from '@aws-amplify/backend';
import { FUNCTION_DEFAULTS } from '../function-defaults';

/** $connect: records the socket in its room. */
export const wsConnect = defineFunction({
  ...FUNCTION_DEFAULTS,
  name: 'ws-connect',
  entry: './handler.ts',
  timeoutSeconds: 10,
  memoryMB: 256,
});
