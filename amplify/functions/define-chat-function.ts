/**
 * defineChatFunction: a chat Lambda as Amplify's `defineFunction({...})` would make it (same construct ids, so the
 * same logical ids; same runtime, architecture, /tmp, ESM index.mjs, minify, source maps, bundled SDK, Amplify's
 * shims, log group with retention), but through defineFunction's provider form, because plain defineFunction does
 * not let us set esbuild's `mainFields` (its resolveBundling keeps only `minify`). See chat-bundling.ts for why
 * that matters. The result is still an Amplify function: `resources.lambda`, `addEnvironment` (merged by Amplify
 * into the function's environment), `resourceGroupName` and the `definedFunctions` output all behave as before.
 */
import { defineFunction } from '@aws-amplify/backend';
import { Duration, RemovalPolicy, Size, Tags } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { CHAT_BUNDLING, CHAT_RUNTIME } from './chat-bundling';
import { FUNCTION_DEFAULTS, REALTIME_GROUP } from './function-defaults';

/** What differs between chat functions. */
export interface ChatFunctionSpec {
  /** Amplify's function name (kebab-case); also the construct ids `<name>-lambda` and `<name>-log-group`. */
  readonly name: string;
  /** The handler file, e.g. `new URL('./handler.ts', import.meta.url)` (a provided function has no caller-relative entry). */
  readonly entry: URL;
  readonly timeoutSeconds: number;
  readonly memoryMB: number;
}

/** Amplify tags each function with its friendly name; the provider form would tag `<name>-lambda` instead. */
const FRIENDLY_NAME_TAG = 'amplify:friendly-name';

/** The CDK function of one chat Lambda in `scope` (the realtime stack), with its log group. */
export function chatFunction(scope: Construct, spec: ChatFunctionSpec): NodejsFunction {
  const logGroup = new LogGroup(scope, `${spec.name}-log-group`, {
    retention: FUNCTION_DEFAULTS.logRetention,
    removalPolicy: RemovalPolicy.DESTROY, // as Amplify's: debug output, deleted with the stack
  });
  const fn = new NodejsFunction(scope, `${spec.name}-lambda`, {
    entry: fileURLToPath(spec.entry),
    runtime: CHAT_RUNTIME,
    architecture: FUNCTION_DEFAULTS.architecture,
    timeout: Duration.seconds(spec.timeoutSeconds),
    memorySize: spec.memoryMB,
    ephemeralStorageSize: Size.mebibytes(FUNCTION_DEFAULTS.ephemeralStorageMB),
    bundling: CHAT_BUNDLING,
    logGroup,
  });
  // Above the default priority so it wins over the provider's own `<name>-lambda` tag.
  Tags.of(fn).add(FRIENDLY_NAME_TAG, spec.name, { priority: 200 });
  return fn;
}

/** A chat function for `defineBackend`, in the realtime group, bundled per chat-bundling.ts. */
export function defineChatFunction(spec: ChatFunctionSpec) {
  return defineFunction((scope) => chatFunction(scope, spec), { resourceGroupName: REALTIME_GROUP });
}
