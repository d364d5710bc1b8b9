import { defineFunction } from '@aws-amplify/backend';
import { FUNCTION_DEFAULTS } from '../function-defaults';

/** POST /tickets: issues a one-time WebSocket ticket for the signed-in user. */
export const createTicket = defineFunction({
  ...FUNCTION_DEFAULTS,
  name: 'create-ticket',
  entry: './handler.ts',
  timeoutSeconds: 10,
  memoryMB: 256,
});
