/**
 * `npm run bench:presence`: only the presence part of the bench (issue 10, "Presence that scales"), on the real local
 * stack with real sockets: posts and bytes per join and per leave in rooms of BENCH_SIZES sockets (default
 * 10,100,1000), then a reconnect storm of BENCH_STORM members (default 1000) of the biggest room dropping and coming
 * back at once (at most 100 reconnecting in flight). Writes bench/presence-results.json. Posts and bytes are counted at
 * the wire (bench/counters.ts); delta frames and the users they name are counted at the receiving sockets.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startTestStack } from '../amplify/local/testing';
import { presenceCost, reconnectStorm, setupWorld, type PresenceCost, type StormResult } from './chat';
import { RequestCounter } from './counters';

const sizes = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const storm = Number(process.env.BENCH_STORM ?? 1000);
const stormRoom = Math.max(...sizes);
const log = (line: string) => console.log(line);

const counter = new RequestCounter();
const stack = await startTestStack();
const presence: PresenceCost[] = [];
let stormResult: StormResult | undefined;
const errors: string[] = [];
try {
  log(`setting up rooms of ${sizes.join('/')} sockets...`);
  const world = await setupWorld(stack, sizes, log);
  for (const size of sizes) {
    try {
      presence.push(await presenceCost(stack, world, size, counter));
    } catch (error) {
      // Report, keep the rest of the run (a loaded machine can miss a bench timeout).
      errors.push(`presence ${size}: ${(error as Error).message}`);
      continue;
    }
    const p = presence.at(-1)!;
    log(`  room ${size}: join ${p.join.posts} posts ${p.join.bytes} B (${p.join.dynamo} DynamoDB, subscribe answered in ${p.join.subscribeMs} ms); leave ${p.leave.posts} posts ${p.leave.bytes} B (${p.leave.dynamo} DynamoDB)`);
  }
  if (storm > 0) {
    log(`reconnect storm: ${storm} members of the room of ${stormRoom}...`);
    try {
      stormResult = await reconnectStorm(stack, world, stormRoom, Math.min(storm, stormRoom), counter, log);
    } catch (error) {
      errors.push(`storm: ${(error as Error).message}`);
    }
  }
  await Promise.all(world.sockets.map((s) => s.close().catch(() => {})));
} finally {
  await stack.stop();
  counter.stop();
}
const out = resolve(import.meta.dirname, 'presence-results.json');
writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), presence, storm: stormResult, errors }, null, 2)}\n`);
if (stormResult) {
  const s = stormResult;
  log(
    `  storm: ${s.reconnects} members of a ${s.roomSize}-socket room: ${s.changes} changes, ${s.posts} posts = ${s.postsPerChange} per change ` +
      `(${s.bytesPerChange} B per change, ${s.bytesPerPost} B per post), ${s.deltaFrames} delta frames naming ${s.usersPerFrame} users each; ` +
      `${s.usersDelivered} user changes delivered = frames without coalescing; ${s.seconds} s`,
  );
}
for (const e of errors) log(`ERROR: ${e}`);
log(`wrote ${out}`);
process.exit(0);
