/**
 * Hands the backend's product functions, APIs, tables and fan-out queue to the monitoring constructs. Functions are
 * found on the backend object itself (every `defineFunction` there), so a function added later is monitored too;
 * Amplify's and CDK's helper functions are not on it and stay unmonitored.
 */
import type { Stack } from 'aws-cdk-lib';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { ChatFunction } from './chat-function';
import type { FanOutQueue } from './fanout-queue';
import { LogsInsightsQueries } from './logs-insights-queries';
import { ChatMonitoring } from './monitoring';
import type { Realtime } from './realtime';

/** True for an Amplify function entry of the backend object. */
function isFunction(value: unknown): value is ChatFunction {
  const v = value as Partial<ChatFunction> | null;
  return typeof v === 'object' && v !== null && typeof v.addEnvironment === 'function' && v.resources?.lambda instanceof LambdaFunction;
}

/** The product functions of a backend, by name. */
export function productFunctions(backend: object): Record<string, ChatFunction> {
  return Object.fromEntries(Object.entries(backend).filter(([, v]) => isFunction(v))) as Record<string, ChatFunction>;
}

/** Builds the monitoring of one deployment in `stack` (the realtime nested stack, next to what it watches). */
export function monitorBackend(stack: Stack, parts: { backend: object; realtime: Realtime; fanOut: FanOutQueue }) {
  const functions = productFunctions(parts.backend);
  const tables = Object.fromEntries(Object.entries(parts.realtime.tables).filter(([, t]) => t instanceof Table)) as Record<string, Table>;
  const monitoring = new ChatMonitoring(stack, 'Monitoring', {
    functions,
    tables,
    httpApi: parts.realtime.http.api,
    webSocketApi: parts.realtime.webSocket.api,
    webSocketStage: parts.realtime.webSocket.stage,
    fanOut: parts.fanOut,
  });
  const logGroups: ILogGroup[] = Object.values(functions).map((fn) => (fn.resources.lambda as LambdaFunction).logGroup);
  const queries = new LogsInsightsQueries(stack, 'LogsQueries', { deployment: monitoring.deployment, logGroups });
  return { monitoring, queries, functions, tables };
}
