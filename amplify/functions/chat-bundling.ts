/**
 * How every chat function is bundled (esbuild through CDK's NodejsFunction): the ONE definition both the deploy
 * (define-chat-function.ts) and the bundle-size budget (bench/handlers.ts) use, so the budget measures what ships.
 * It is Amplify's defineFunction bundling (ESM index.mjs, minified, source maps, AWS SDK bundled, Amplify's SSM
 * banner and CJS shim) plus one change Amplify does not expose: `mainFields: ['module', 'main']`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { EOL } from 'node:os';
import { dirname, join } from 'node:path';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Lambda's runtime for every chat function: the newest Node.js (cdk-nag L1); esbuild's target follows from it. */
export const CHAT_RUNTIME = Runtime.NODEJS_24_X;

/**
 * esbuild's default for platform=node is `main,module`: the AWS SDK's CommonJS builds, which cannot be tree-shaken.
 * Preferring `module` takes its ES builds instead: ~200 KB less per handler and a cold import about 40 % cheaper
 * (docs/scaling.md, "Lean handlers"). Packages without a `module` field still fall back to `main`.
 */
export const MAIN_FIELDS = ['module', 'main'];

/** backend-function's lambda-shims folder (the package's `exports` hide it from a plain require.resolve). */
const SHIMS = join(dirname(createRequire(import.meta.url).resolve('@aws-amplify/backend-function')), 'lambda-shims');

/** Amplify's banner: its SSM resolver + invoker flattened to one line, exactly as backend-function's factory does. */
function amplifyBanner(): string {
  return ['resolve_ssm_params.js', 'invoke_ssm_shim.js']
    .map((f) => readFileSync(join(SHIMS, f), 'utf8'))
    .join('')
    .split(new RegExp(`${EOL}|\n|\r`, 'g'))
    .map((line) => line.replace(/\/\/.*$/, ''))
    .join('');
}

/** The NodejsFunction `bundling` of every chat function (bench/handlers.ts turns it into esbuild options). */
export const CHAT_BUNDLING = {
  format: OutputFormat.ESM,
  bundleAwsSDK: true,
  // No layers: nothing is external (Amplify passes its layers' modules here).
  externalModules: [],
  loader: { '.node': 'file' },
  minify: true,
  sourceMap: true,
  mainFields: MAIN_FIELDS,
  // Amplify's shims: `require`/`__dirname` for the CommonJS left in an ESM bundle, and SSM-backed secrets.
  banner: amplifyBanner(),
  inject: [join(SHIMS, 'cjs_shim.js')],
  logLevel: LogLevel.ERROR,
} as const satisfies BundlingOptions;
