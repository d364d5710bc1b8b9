import { defineChatFunction } from '../define-chat-function';

/**
 * Fan-out worker behind the SQS queue (amplify/stacks/fanout-queue.ts). Its timeout covers the shard age bound
 * (SHARD_MAX_AGE_MS, 20 s) plus one last round of posts; a full vCPU (1,769 MB) because a worker's cost is the
 * CPU of its posts.
 */
/** The worker's timeout (the queue's visibility timeout is derived from it). */
export const FANOUT_WORKER_TIMEOUT_SECONDS = 25;

export const fanoutWorker = defineChatFunction({
  name: 'fanout-worker',
  entry: new URL('./handler.ts', import.meta.url),
  timeoutSeconds: FANOUT_WORKER_TIMEOUT_SECONDS,
  memoryMB: 1769,
});
