import { defineFunction } from '@aws-amplify/backend';
import { FUNCTION_DEFAULTS } from '../function-defaults';

/**
 * Fan-out worker behind the SQS queue (amplify/stacks/fanout-queue.ts). Its timeout covers the shard age bound
 * (SHARD_MAX_AGE_MS, 20 s) plus one last round of posts; a full vCPU (1,769 MB) because a worker's cost is the
 * CPU of its posts.
 */
/** The worker's timeout (the queue's visibility timeout is derived from it). */
export const FANOUT_WORKER_TIMEOUT_SECONDS = 25;

export const fanoutWorker = defineFunction({
  ...FUNCTION_DEFAULTS,
  name: 'fanout-worker',
  entry: './handler.ts',
  timeoutSeconds: FANOUT_WORKER_TIMEOUT_SECONDS,
  memoryMB: 1769,
});
