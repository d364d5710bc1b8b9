import { defineFunction } from '@aws-amplify/backend';
import { FUNCTION_DEFAULTS } from '../function-defaults';

/** Every rooms HTTP route (my rooms, browse, create, join/leave, members, DMs, read position, mute). */
export const rooms = defineFunction({
  ...FUNCTION_DEFAULTS,
  name: 'rooms',
  entry: './handler.ts',
  timeoutSeconds: 15,
  memoryMB: 512,
});
