/**
 * Handler bundle budget (performance issue "Lean handlers", operability issue): every deployed handler, bundled in
 * memory exactly as it deploys (bench/handlers.ts, from the bundling in amplify/functions/chat-bundling.ts), must be
 * ≤ 650 KB. SDK clients ride only in the bundles of functions that use them. One handler is also built by CDK's
 * NodejsFunction itself, as synthesis does, to prove the in-memory build is the deployed one and that it imports.
 * Cold-import times are measured by `npm run bench` (no timed assertion here).
 */
import { App, Stack } from 'aws-cdk-lib';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { chatFunction } from '../amplify/functions/define-chat-function';
import { HANDLER_MAX_BYTES, deployedBuildOptions, handlerBundles, type HandlerBundle } from './handlers';

/** Functions that hand shards to the fan-out queue (the `senders` of amplify/backend.ts). */
const QUEUE_SENDERS = ['store-message', 'ws-disconnect', 'ws-message'];
/** Functions that post frames to sockets over `@connections`. */
const POSTERS = ['fanout-worker', 'rooms', 'store-message', 'ws-disconnect', 'ws-message'];

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const has = (b: HandlerBundle, pkg: string) => b.packages.some((p) => p.name === pkg);

describe('handler bundles (built as they deploy)', () => {
  let bundles: HandlerBundle[];
  beforeAll(async () => {
    bundles = await handlerBundles();
  }, 120_000);

  it('bundles every deployed handler with the AWS SDK inside, as the deploy does (so the sizes below are real)', () => {
    expect(bundles.map((b) => b.name)).toEqual(expect.arrayContaining(['ws-message', 'store-message', 'ws-authorizer', 'fanout-worker']));
    for (const b of bundles) {
      expect(has(b, '@aws-sdk/client-dynamodb'), b.name).toBe(true);
      // The bare DynamoDB document client alone is ~334 KB (its ES builds): anything smaller means the SDK was left out.
      expect(b.bytes, b.name).toBeGreaterThan(300 * 1024);
    }
  });

  it(`keeps every handler within ${kb(HANDLER_MAX_BYTES)}`, () => {
    const over = bundles
      .filter((b) => b.bytes > HANDLER_MAX_BYTES)
      .map((b) => `${b.name}: ${kb(b.bytes)} > ${kb(HANDLER_MAX_BYTES)}; biggest: ${b.packages.slice(0, 8).map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')}`);
    expect(over, 'Cut what this handler does not need (an SDK client, a library) before adding to it').toEqual([]);
  });

  it('carries the SQS client only in queue senders and the @connections client only in functions that post', () => {
    const withSqs = bundles.filter((b) => has(b, '@aws-sdk/client-sqs')).map((b) => b.name);
    const withPosts = bundles.filter((b) => has(b, '@aws-sdk/client-apigatewaymanagementapi')).map((b) => b.name);
    expect(withSqs.sort()).toEqual(QUEUE_SENDERS);
    expect(withPosts.sort()).toEqual(POSTERS);
    expect(bundles.filter((b) => has(b, '@aws-lambda-powertools/batch')).map((b) => b.name)).toEqual(['fanout-worker']);
  });

  it('measures what deploys: CDK builds ws-message byte for byte as the budget does, and the bundle imports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handler-cdk-'));
    try {
      // The deployed construct, bundled by CDK's NodejsFunction (local esbuild) into the app's asset folder.
      const app = new App({ outdir: join(dir, 'cdk.out') });
      const entry = new URL('../amplify/functions/ws-message/handler.ts', import.meta.url);
      chatFunction(new Stack(app, 'Budget'), { name: 'ws-message', entry, timeoutSeconds: 29, memoryMB: 512 });
      const asset = readdirSync(join(dir, 'cdk.out')).map((d) => join(dir, 'cdk.out', d)).find((d) => existsSync(join(d, 'index.mjs')))!;
      expect(readdirSync(asset).sort()).toEqual(['index.mjs', 'index.mjs.map']);
      const deployed = readFileSync(join(asset, 'index.mjs'), 'utf8');
      const measured = await build({ ...deployedBuildOptions(entry.pathname, join(dir, 'measured.mjs')), write: false });
      // The only difference: the deployed file links its source map (compared by length and hash: a diff would be 490 KB).
      const digest = (text: string) => ({ bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') });
      expect(digest(deployed)).toEqual(digest(`${measured.outputFiles[0]!.text}//# sourceMappingURL=index.mjs.map\n`));
      expect(bundles.find((b) => b.name === 'ws-message')!.bytes).toBe(measured.outputFiles[0]!.contents.length);
      // It runs: a fresh Node imports it (ES builds of the SDK, Amplify's shims) and finds the handler.
      const code = `const m=await import(${JSON.stringify(pathToFileURL(join(asset, 'index.mjs')).href)});console.log(typeof m.handler);process.exit(0)`;
      const env = { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT' } as unknown as NodeJS.ProcessEnv;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env, timeout: 30_000 }); // Amplify's SSM banner keeps an interval alive: hence process.exit
      expect({ status: run.status, out: run.stdout.trim(), err: run.stderr }).toEqual({ status: 0, out: 'function', err: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
