/**
 * The slice of an Amplify function (`backend.<name>`) the CDK constructs need: its Lambda, and
 * Amplify's own `addEnvironment` (which also feeds the typed env shims Amplify generates).
 */
import type { IFunction } from 'aws-cdk-lib/aws-lambda';

/** An Amplify-defined function as the realtime constructs use it. */
export interface ChatFunction {
  readonly resources: { readonly lambda: IFunction };
  addEnvironment(key: string, value: string): void;
}

/** Requests per second (steady, burst) for an API stage's routes. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}
