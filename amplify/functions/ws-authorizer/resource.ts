import { defineFunction } from '@aws-amplify/backend';
import { FUNCTION_DEFAULTS } from '../function-defaults';

/** $connect REQUEST authorizer: consumes the `?ticket=` one-time ticket. */
export const wsAuthorizer = defineFunction({
  ...FUNCTION_DEFAULTS,
  name: 'ws-authorizer',
  entry: './handler.ts',
  timeoutSeconds: 10,
  memoryMB: 256,
});
