/**
 * What kind of deployment is being synthesized, and the few settings that differ by kind. Amplify
 * passes the kind as CDK context (`amplify-backend-type`): `sandbox` for a developer's own copy,
 * `branch` / `standalone` for shared, long-lived environments.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Amplify's deployment kinds. */
export type BackendType = 'sandbox' | 'branch' | 'standalone';

/** Env var with extra browser origins (comma-separated) allowed to call the HTTP API. */
export const EXTRA_ORIGINS_ENV = 'CHAT_EXTRA_ORIGINS';

/** Where `next dev` serves a sandbox developer's site; allowed by default in sandboxes only. */
export const SANDBOX_DEFAULT_ORIGINS = ['http://localhost:3000', 'http://127.0.0.1:3000'] as const;

/** The deployment kind from context; unknown or missing values count as `branch` (the careful choice). */
export function backendType(scope: IConstruct): BackendType {
  const value: unknown = scope.node.tryGetContext('amplify-backend-type');
  return value === 'sandbox' || value === 'standalone' ? value : 'branch';
}

/** Sandboxes are throwaway, so their data goes with them; shared environments keep data on stack deletion. */
export function dataRemovalPolicy(scope: IConstruct): RemovalPolicy {
  return backendType(scope) === 'sandbox' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}

/** Validates one browser origin (`scheme://host[:port]`, nothing else) and returns it normalised. */
export function parseOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${EXTRA_ORIGINS_ENV}: "${raw}" is not an origin like https://example.com`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.origin !== raw.replace(/\/$/, '')) {
    throw new Error(`${EXTRA_ORIGINS_ENV}: "${raw}" must be a bare origin (scheme://host[:port], no path)`);
  }
  return url.origin;
}

/**
 * Origins besides the site's own that may call the HTTP API: `CHAT_EXTRA_ORIGINS` when set (an empty
 * value means none), else the local dev server for sandboxes and nothing for shared environments.
 */
export function extraOrigins(scope: IConstruct, env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const configured = env[EXTRA_ORIGINS_ENV];
  if (configured !== undefined) {
    return [...new Set(configured.split(',').map((s) => s.trim()).filter(Boolean).map(parseOrigin))];
  }
  return backendType(scope) === 'sandbox' ? [...SANDBOX_DEFAULT_ORIGINS] : [];
}
