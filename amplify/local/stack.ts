/**
 * The embedded local stack: dynalite for DynamoDB, cognito-local for Cognito, and the gateway that plays
 * API Gateway for the very same handler modules that deploy to Lambda. Used by `npm start` and by tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamo } from './dynamo';
import { startCognito, type LocalCognito } from './cognito';
import { createJwtVerifier } from './jwt';
import { startGateway } from './gateway';
import { startStaticServer } from './static-server';
import { localOutputs } from './outputs';
import { pickPort } from './net';


export interface LocalStackOptions {
  /** Where accounts and messages persist; omitted = a temp folder removed on stop. */
  readonly dataDir?: string;
  /** Preferred ports (0 = any free port). */
  readonly ports?: { readonly web?: number; readonly gateway?: number; readonly cognito?: number };
  /** Serve this static export folder (out/) as the web app; omit when another server (next dev) serves it. */
  readonly staticDir?: string;
  /** Extra browser origins allowed by CORS (the web app's origin is always allowed). */
  readonly extraOrigins?: readonly string[];
  readonly idleTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface LocalStack {
  readonly webUrl: string;
  readonly outputs: ReturnType<typeof localOutputs>;
  readonly cognito: LocalCognito;
  readonly gateway: Awaited<ReturnType<typeof startGateway>>;
  readonly dynamoEndpoint: string;
  stop(): Promise<void>;
}

/** Starts every local service; `stop()` ends them all (children by PID) even if a later start failed. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const tempDir = options.dataDir ? undefined : await mkdtemp(join(tmpdir(), 'chat-local-'));
  const dataDir = options.dataDir ?? tempDir!;
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => {});
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
  try {
    const webPort = await pickPort(options.ports?.web ?? 0);
    const webUrl = `http://127.0.0.1:${webPort}`;
    const origins = [webUrl, `http://localhost:${webPort}`, ...(options.extraOrigins ?? [])];

    const dynamo = await startDynamo({ dir: join(dataDir, 'dynamodb') });
    stops.push(dynamo.stop);
    const cognito = await startCognito({ dataDir: join(dataDir, 'cognito'), port: options.ports?.cognito ?? 0, log });
    stops.push(cognito.stop);

    const gateway = await startGateway({
      port: options.ports?.gateway ?? 0,
      verifyJwt: createJwtVerifier({ issuer: cognito.issuer, audience: cognito.userPoolClientId, jwksUrl: cognito.jwksUrl }),
      allowedOrigins: origins,
      idleTimeoutMs: options.idleTimeoutMs,
      handlerEnv: { ...dynamo.handlerEnv, POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' },
      log,
    });
    stops.push(gateway.stop);

    const outputs = localOutputs({
      region: cognito.region,
      userPoolId: cognito.userPoolId,
      userPoolClientId: cognito.userPoolClientId,
      userPoolEndpoint: cognito.endpoint,
      httpApiUrl: gateway.httpUrl,
      webSocketUrl: gateway.webSocketUrl,
      siteUrl: webUrl,
    });
    if (options.staticDir) {
      const web = await startStaticServer({ root: options.staticDir, outputs: () => outputs, port: webPort });
      stops.push(web.stop);
    }
    return { webUrl, outputs, cognito, gateway, dynamoEndpoint: dynamo.endpoint, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
