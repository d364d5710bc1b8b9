/**
 * Handler bundle budget (performance issue "Lean handlers", operability issue): every deployed handler, bundled in
 * memory exactly as Amplify builds it (bench/handlers.ts), must be ≤ 650 KB. The few still above it are held by
 * bench/handler-ceiling.json (their size when the budget was set, +1 %): they may shrink, never grow, and an entry
 * must go once its handler is within budget. SDK clients ride only in the bundles of functions that use them.
 * Cold-import times are measured by `npm run bench` (no timed assertion here).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_MAX_BYTES, handlerBundles, type HandlerBundle } from './handlers';

const CEILING = JSON.parse(readFileSync(resolve(import.meta.dirname, 'handler-ceiling.json'), 'utf8')) as Record<string, number>;

/** Functions that hand shards to the fan-out queue (the `senders` of amplify/backend.ts). */
const QUEUE_SENDERS = ['store-message', 'ws-disconnect', 'ws-message'];
/** Functions that post frames to sockets over `@connections`. */
const POSTERS = ['fanout-worker', 'rooms', 'store-message', 'ws-disconnect', 'ws-message'];

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const has = (b: HandlerBundle, pkg: string) => b.packages.some((p) => p.name === pkg);

describe('handler bundles (built as Amplify builds them)', () => {
  let bundles: HandlerBundle[];
  beforeAll(async () => {
    bundles = await handlerBundles();
  }, 120_000);

  it('bundles every deployed handler with the AWS SDK inside, as Amplify does (so the sizes below are real)', () => {
    expect(bundles.map((b) => b.name)).toEqual(expect.arrayContaining(['ws-message', 'store-message', 'ws-authorizer', 'fanout-worker']));
    for (const b of bundles) {
      expect(has(b, '@aws-sdk/client-dynamodb'), b.name).toBe(true);
      // The bare DynamoDB document client alone is ~540 KB: anything smaller means the SDK was left out.
      expect(b.bytes, b.name).toBeGreaterThan(500 * 1024);
    }
  });

  it(`keeps every handler within ${kb(HANDLER_MAX_BYTES)} (or, while above it, under its recorded ceiling)`, () => {
    const over = bundles
      .filter((b) => b.bytes > Math.max(HANDLER_MAX_BYTES, CEILING[b.name] ?? 0))
      .map((b) => `${b.name}: ${kb(b.bytes)} > ${kb(Math.max(HANDLER_MAX_BYTES, CEILING[b.name] ?? 0))}; biggest: ${b.packages.slice(0, 8).map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')}`);
    expect(over, 'Cut what this handler does not need (an SDK client, a library) before adding to it').toEqual([]);
  });

  it('has a ceiling entry only for handlers still above the budget (the ratchet only tightens)', () => {
    const stale = Object.keys(CEILING).filter((name) => (bundles.find((b) => b.name === name)?.bytes ?? 0) <= HANDLER_MAX_BYTES);
    expect(stale, 'within budget now: delete these entries from bench/handler-ceiling.json').toEqual([]);
  });

  it('carries the SQS client only in queue senders and the @connections client only in functions that post', () => {
    const withSqs = bundles.filter((b) => has(b, '@aws-sdk/client-sqs')).map((b) => b.name);
    const withPosts = bundles.filter((b) => has(b, '@aws-sdk/client-apigatewaymanagementapi')).map((b) => b.name);
    expect(withSqs.sort()).toEqual(QUEUE_SENDERS);
    expect(withPosts.sort()).toEqual(POSTERS);
    expect(bundles.filter((b) => has(b, '@aws-lambda-powertools/batch')).map((b) => b.name)).toEqual(['fanout-worker']);
  });
});
