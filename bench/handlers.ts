/**
 * Lean handlers: bundles every deployed handler exactly as it deploys (esbuild via CDK's NodejsFunction with the
 * bundling of amplify/functions/chat-bundling.ts: ESM, minified, AWS SDK bundled from its ES builds, Amplify's SSM
 * banner and CJS shim, Node 24 target; source maps not counted) next to a bare handler that imports only the DynamoDB
 * document client, built the same way, then measures each bundle's size and its cold import in fresh Node
 * processes, same run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { CHAT_BUNDLING, CHAT_RUNTIME } from '../amplify/functions/chat-bundling';

const FUNCTIONS_DIR = resolve(import.meta.dirname, '../amplify/functions');
/** Budgets from the performance issue. */
export const HANDLER_MAX_BYTES = 650 * 1024;
export const COLD_IMPORT_MAX_RATIO = 1.25;

const BARE = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (e) => db.send(new GetCommand({ TableName: 't', Key: { id: e.id } }));
`;

/** One handler's bundle. */
export interface HandlerSize {
  readonly name: string;
  readonly bytes: number;
  /** Median wall clock of a cold import (ms). */
  readonly coldImportMs: number;
  /** Median CPU time of a cold import (ms): what the budget is judged on (see `coldImport`). */
  readonly coldImportCpuMs: number;
  /** Wall-clock ratio to the bare DynamoDB handler, same run. */
  readonly ratioToBare: number;
  /** CPU-time ratio to the bare DynamoDB handler, same run. */
  readonly cpuRatioToBare: number;
  /** ≤ 650 KB and CPU-time ratio ≤ 1.25. */
  readonly withinBudget: boolean;
}

/** The deployed handler entry points (every amplify/functions/<name>/handler.ts). */
export function handlerEntries(): { name: string; entry: string }[] {
  return readdirSync(FUNCTIONS_DIR)
    .filter((name) => existsSync(join(FUNCTIONS_DIR, name, 'handler.ts')))
    .map((name) => ({ name, entry: join(FUNCTIONS_DIR, name, 'handler.ts') }));
}

/**
 * esbuild options for `entry` from the deployed functions' NodejsFunction bundling (amplify/functions/chat-bundling.ts),
 * translated as CDK translates them into esbuild's command line (aws-lambda-nodejs Bundling: target from the runtime,
 * platform node, outfile index.mjs). Source maps are left out: they are not part of the budget. An option this
 * translation does not know fails loudly, so the budget cannot silently measure something other than what deploys.
 */
export function deployedBuildOptions(entry: string, outfile: string): BuildOptions {
  const { format, bundleAwsSDK, externalModules, loader, minify, sourceMap, mainFields, banner, inject, logLevel, ...unknown } = CHAT_BUNDLING;
  if (Object.keys(unknown).length > 0) throw new Error(`bench/handlers.ts does not translate bundling option(s) ${Object.keys(unknown).join(', ')}`);
  if (!bundleAwsSDK || !sourceMap || externalModules.length > 0) throw new Error('bench/handlers.ts assumes the AWS SDK bundled, no externals, and source maps on (not counted)');
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format,
    target: `node${/^nodejs(\d+)\.x$/.exec(CHAT_RUNTIME.name)![1]}`,
    minify,
    loader: { ...loader },
    logLevel,
    banner: { js: banner },
    mainFields: [...mainFields],
    inject: [...inject],
  };
}

/** Bundles `entry` to `outfile` as the deploy does; returns its size in bytes. */
async function bundle(entry: string, outfile: string): Promise<number> {
  await build(deployedBuildOptions(entry, outfile));
  return statSync(outfile).size;
}

/** One handler's bundle without writing it: size and the npm packages inside (from esbuild's metafile). */
export interface HandlerBundle {
  readonly name: string;
  readonly bytes: number;
  /** Bytes of output per npm package (`@scope/name`), biggest first. */
  readonly packages: readonly { readonly name: string; readonly bytes: number }[];
}

/** Every deployed handler bundled as the deploy does, in memory (no import timing): cheap enough for `npm test`. */
export async function handlerBundles(): Promise<HandlerBundle[]> {
  const out: HandlerBundle[] = [];
  for (const e of handlerEntries()) {
    const result = await build({ ...deployedBuildOptions(e.entry, join(tmpdir(), `${e.name}.mjs`)), write: false, metafile: true });
    const output = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!;
    const byPackage = new Map<string, number>();
    for (const [path, input] of Object.entries(Object.values(result.metafile.outputs)[0]!.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
      if (pkg) byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + input.bytesInOutput);
    }
    const packages = [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
    out.push({ name: e.name, bytes: output.contents.length, packages });
  }
  return out;
}

/**
 * Cold imports of `file`, one fresh process per run (ms, the import only, not Node's own start): wall clock, and the
 * CPU time the process spent on it. On a loaded shared machine the wall clock mostly measures waiting for a core;
 * on Lambda a cold start has its vCPU to itself, so the CPU time is what its wall clock tracks.
 */
function coldImport(file: string, runs: number): { wall: number; cpu: number }[] {
  const code = `const c=process.cpuUsage(),t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});const w=performance.now()-t,u=process.cpuUsage(c);console.log(w,(u.user+u.system)/1000);process.exit(0)`;
  const times: { wall: number; cpu: number }[] = [];
  // A Lambda-like environment: nothing from this shell but PATH.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  for (let i = 0; i < runs; i++) {
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: env as unknown as NodeJS.ProcessEnv });
    if (out.status !== 0) throw new Error(`import of ${file} failed: ${out.stderr}`);
    const [wall, cpu] = out.stdout.trim().split(' ').map(Number);
    times.push({ wall: wall!, cpu: cpu! });
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Sizes and cold imports of `entries` (default: all) and of the bare DynamoDB handler, measured together. */
export async function measureHandlers(options: { runs?: number; only?: readonly string[] } = {}): Promise<{ bare: { bytes: number; coldImportMs: number; coldImportCpuMs: number }; handlers: HandlerSize[] }> {
  const runs = options.runs ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'bench-handlers-'));
  try {
    // The bare entry sits in this folder so it resolves packages from the repo's node_modules.
    const bareEntry = resolve(import.meta.dirname, `.bare-handler-${process.pid}.mjs`);
    writeFileSync(bareEntry, BARE);
    let bareBytes: number;
    try {
      bareBytes = await bundle(bareEntry, join(dir, 'bare', 'index.mjs'));
    } finally {
      rmSync(bareEntry, { force: true });
    }
    const entries = handlerEntries().filter((e) => !options.only || options.only.includes(e.name));
    const built: { name: string; file: string; bytes: number }[] = [];
    for (const e of entries) {
      const file = join(dir, e.name, 'index.mjs');
      built.push({ name: e.name, file, bytes: await bundle(e.entry, file) });
    }
    // Interleaved runs (bare, each handler, bare, ...) so machine noise from other work hits every bundle alike.
    const files = [join(dir, 'bare', 'index.mjs'), ...built.map((b) => b.file)];
    const times = files.map(() => [] as { wall: number; cpu: number }[]);
    for (let r = 0; r < runs; r++) files.forEach((f, i) => times[i]!.push(...coldImport(f, 1)));
    const wallOf = (i: number) => median(times[i]!.map((t) => t.wall));
    const cpuOf = (i: number) => median(times[i]!.map((t) => t.cpu));
    const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
    const [bareMs, bareCpuMs] = [wallOf(0), cpuOf(0)];
    const handlers = built.map((b, i) => {
      const ratio = round(wallOf(i + 1) / bareMs, 2);
      const cpuRatio = round(cpuOf(i + 1) / bareCpuMs, 2);
      return {
        name: b.name,
        bytes: b.bytes,
        coldImportMs: round(wallOf(i + 1), 1),
        coldImportCpuMs: round(cpuOf(i + 1), 1),
        ratioToBare: ratio,
        cpuRatioToBare: cpuRatio,
        withinBudget: b.bytes <= HANDLER_MAX_BYTES && cpuRatio <= COLD_IMPORT_MAX_RATIO,
      };
    });
    return { bare: { bytes: bareBytes, coldImportMs: round(bareMs, 1), coldImportCpuMs: round(bareCpuMs, 1) }, handlers };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
