/**
 * Offline synthesis of the real backend (one per process), asserted on its CloudFormation: routes and
 * authorizers, tables, least-privilege IAM, the site's lockdown, the custom outputs, and no
 * nested-stack dependency cycle (which `synth` would never report); the branch's monitoring
 * (amplify/stacks/monitoring.infra-suite.ts) on the same synthesis.
 */
import { CfnElement, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatOutputsFrom } from '../lib/outputs';
import { Action, HttpRoutes } from '../lib/protocol';
import { ROOM_ROUTE_NAMES } from './functions/rooms/route-names';
import {
  ALL_TABLES,
  CALLBACK_URL_ENV,
  CONNECTIONS_TABLE,
  MEMBERSHIPS_TABLE,
  MESSAGE_CHANGES_TABLE,
  MENTIONS_TABLE,
  MESSAGES_TABLE,
  RATE_LIMITS_TABLE,
  ROOMS_TABLE,
  SEND_RECEIPTS_TABLE,
  SUBSCRIPTIONS_TABLE,
  TICKETS_TABLE,
} from './chat/tables';
import { checkAssembly } from './stacks/assembly-check';
import { synthBranchBackend } from './stacks/branch-fixture';
import { WITHOUT_ACCOUNT_ROLE } from './stacks/nag-acknowledgements';
import { describeBranchMonitoring } from './stacks/monitoring.infra-suite';
import { actionMatches, actionsOf, allStatements, resourcesOf, roleManagedPolicies, roleStatements, show } from './stacks/cfn-inspect';
import type { ChatTables } from './stacks/chat-tables';
import type { RealtimeFunctions } from './stacks/realtime';
import type { CfnTemplate } from './stacks/stack-graph';

type Module = typeof import('./backend');
let mod: Module;
let realtimeStack: Stack;
let realtime: Template;
let site: Template;
let root: Template;
let assemblyDir: string;
let cleanUpFixture: (() => void) | undefined;

beforeAll(async () => {
  const branch = await synthBranchBackend();
  mod = branch.mod;
  cleanUpFixture = branch.cleanUp;
  realtimeStack = Stack.of(mod.backend.wsMessage.resources.lambda);
  realtime = Template.fromStack(realtimeStack);
  site = Template.fromStack(Stack.of(mod.site!));
  root = Template.fromStack(mod.backend.stack);
  assemblyDir = Stage.of(mod.backend.stack)!.synth().directory;
});

// The app synthesized into a fresh temp dir (no CDK_OUTDIR); do not leave it in /tmp.
afterAll(() => {
  if (assemblyDir) rmSync(assemblyDir, { recursive: true, force: true });
  cleanUpFixture?.();
});

describeBranchMonitoring(() => mod);

/** Logical id of a construct's CloudFormation resource in its own stack. */
const idOf = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const fnId = (fn: IFunction) => idOf(fn);
const tableId = (name: keyof ChatTables) => idOf(mod.realtime.tables[name]);
const resourcesOfType = (template: Template, type: string) => template.findResources(type) as CfnTemplate['Resources'] & {};

describe('WebSocket API', () => {
  it('routes on $request.body.action and guards $connect with the ticket authorizer', () => {
    realtime.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    const authorizers = realtime.findResources('AWS::ApiGatewayV2::Authorizer', { Properties: { AuthorizerType: 'REQUEST' } });
    const [authorizerId, authorizer] = Object.entries(authorizers)[0]!;
    expect(Object.keys(authorizers)).toHaveLength(1);
    expect(authorizer.Properties.IdentitySource).toEqual(['route.request.querystring.ticket']);
    expect(show(authorizer.Properties.AuthorizerUri)).toContain(`<${fnId(mod.backend.wsAuthorizer.resources.lambda)}.Arn>`);
    realtime.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$connect',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: authorizerId },
    });
  });

  it('sends every route to its handler, and only $connect is authorized', () => {
    const routes = Object.values(resourcesOfType(realtime, 'AWS::ApiGatewayV2::Route'));
    const integrations = resourcesOfType(realtime, 'AWS::ApiGatewayV2::Integration');
    const handlerOf = (routeKey: string) => {
      const route = routes.find((r) => (r.Properties as { RouteKey: string }).RouteKey === routeKey);
      const target = show((route!.Properties as { Target: unknown }).Target).replace(/^integrations\/<(.*)>$/, '$1');
      return show((integrations[target]!.Properties as { IntegrationUri: unknown }).IntegrationUri);
    };
    const b = mod.backend;
    expect(handlerOf('$connect')).toContain(fnId(b.wsConnect.resources.lambda));
    expect(handlerOf('$disconnect')).toContain(fnId(b.wsDisconnect.resources.lambda));
    const actions = Object.values(Action);
    for (const key of ['$default', ...actions]) expect(handlerOf(key)).toContain(fnId(b.wsMessage.resources.lambda));
    const keys = routes.map((r) => (r.Properties as { RouteKey: string }).RouteKey);
    const wsKeys = keys.filter((k) => !k.includes('/'));
    expect(wsKeys.sort()).toEqual(['$connect', '$default', '$disconnect', ...actions].sort());
    expect(actions.sort()).toEqual(['deleteMessage', 'editMessage', 'markRead', 'ping', 'presence', 'react', 'sendMessage', 'subscribe', 'typing', 'unsubscribe']);
  });

  it('deploys a throttled prod stage automatically', () => {
    realtime.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'prod',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });

  it('throttles admit a 10,000-socket room: its pings alone are 10,000 / 60 s ≈ 167 requests/s per route', () => {
    const stage = Object.values(realtime.findResources('AWS::ApiGatewayV2::Stage', { Properties: { StageName: 'prod' } }))[0]!;
    expect(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThanOrEqual(10_000 / 60);
    const http = Object.values(realtime.findResources('AWS::ApiGatewayV2::Stage', { Properties: { StageName: '$default' } }))[0]!;
    expect(http.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThanOrEqual(500);
  });
});

describe('production defaults (branch)', () => {
  const userPool = () => Template.fromStack(Stack.of(mod.backend.auth.resources.userPool));

  it('retains the user pool with deletion protection on', () => {
    userPool().hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('sends Cognito email through the SES domain identity from the settings', () => {
    userPool().hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({ EmailSendingAccount: 'DEVELOPER', From: 'chat@example.com' }),
    });
    const [pool] = Object.values(userPool().findResources('AWS::Cognito::UserPool'));
    expect(show(pool!.Properties.EmailConfiguration.SourceArn)).toMatch(/:ses:<AWS::Region>:<AWS::AccountId>:identity\/example\.com$/);
  });

  it('sets no account-wide API Gateway role unless opted in; WebSocket access logs are then off, HTTP ones on', () => {
    for (const t of [root, realtime, site]) t.resourceCountIs('AWS::ApiGateway::Account', 0);
    realtime.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: 'prod', AccessLogSettings: Match.absent() });
    realtime.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AccessLogSettings: Match.objectLike({}) });
    const acknowledged = mod.nagAcknowledgements.filter((a) => a.acknowledgement.onlyWhen);
    expect(acknowledged.map((a) => [a.id, a.acknowledgement.onlyWhen])).toEqual([['AwsSolutions-APIG1', WITHOUT_ACCOUNT_ROLE]]);
  });
});

describe('HTTP API', () => {
  it('puts every route behind the Cognito JWT authorizer', () => {
    const jwt = realtime.findResources('AWS::ApiGatewayV2::Authorizer', { Properties: { AuthorizerType: 'JWT' } });
    const [jwtId, authorizer] = Object.entries(jwt)[0]!;
    const config = authorizer.Properties.JwtConfiguration;
    expect(show(config.Issuer)).toMatch(/^https:\/\/cognito-idp\.<AWS::Region>\.amazonaws\.com\/<referenceto.*authamplifyAuthUserPool\w+Ref>$/);
    expect(config.Audience.map(show)).toEqual([expect.stringMatching(/authamplifyAuthUserPoolAppClient\w+Ref>$/)]);
    expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    const httpKeys = Object.values(HttpRoutes).map((r) => `${r.method} ${r.path}`);
    for (const key of httpKeys) {
      realtime.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'JWT', AuthorizerId: { Ref: jwtId } });
    }
    const declared = Object.values(resourcesOfType(realtime, 'AWS::ApiGatewayV2::Route'))
      .map((r) => (r.Properties as { RouteKey: string }).RouteKey)
      .filter((k) => k.includes('/'));
    expect(declared.sort()).toEqual(httpKeys.sort());
  });

  it('sends every rooms route to the rooms function, through one integration', () => {
    const routes = Object.values(resourcesOfType(realtime, 'AWS::ApiGatewayV2::Route'));
    const integrations = resourcesOfType(realtime, 'AWS::ApiGatewayV2::Integration');
    const targets = new Set<string>();
    for (const name of ROOM_ROUTE_NAMES) {
      const key = `${HttpRoutes[name].method} ${HttpRoutes[name].path}`;
      const route = routes.find((r) => (r.Properties as { RouteKey: string }).RouteKey === key)!;
      const target = show((route.Properties as { Target: unknown }).Target).replace(/^integrations\/<(.*)>$/, '$1');
      targets.add(target);
      expect(show((integrations[target]!.Properties as { IntegrationUri: unknown }).IntegrationUri)).toContain(fnId(mod.backend.rooms.resources.lambda));
    }
    expect(targets.size).toBe(1);
  });

  it('serves history and the changes feed from the read-only history function, through one integration', () => {
    const routes = Object.values(resourcesOfType(realtime, 'AWS::ApiGatewayV2::Route'));
    const integrations = resourcesOfType(realtime, 'AWS::ApiGatewayV2::Integration');
    const targets = new Set(
      [HttpRoutes.getMessages, HttpRoutes.getChanges].map(({ method, path }) => {
        const route = routes.find((r) => (r.Properties as { RouteKey: string }).RouteKey === `${method} ${path}`)!;
        return show((route.Properties as { Target: unknown }).Target).replace(/^integrations\/<(.*)>$/, '$1');
      }),
    );
    expect(targets.size).toBe(1);
    const [target] = [...targets];
    expect(show((integrations[target!]!.Properties as { IntegrationUri: unknown }).IntegrationUri)).toContain(fnId(mod.backend.getMessages.resources.lambda));
  });

  it('allows only the site origin for a branch deployment', () => {
    const api = Object.values(realtime.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } }))[0]!;
    const cors = api.Properties.CorsConfiguration;
    expect(cors.AllowOrigins.map(show)).toEqual([expect.stringMatching(/^https:\/\/<referenceto.*siteSiteDistribution\w+DomainName>$/)]);
    expect(cors.AllowOrigins.map(show).join()).not.toContain('localhost');
    expect(cors.AllowHeaders).toEqual(['authorization', 'content-type']);
    expect([...cors.AllowMethods].sort()).toEqual(['DELETE', 'GET', 'POST', 'PUT']);
  });
});

describe('DynamoDB tables', () => {
  it('are built from amplify/chat/tables.ts: keys, GSI with INCLUDE projection, TTL', () => {
    const tables = resourcesOfType(realtime, 'AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(ALL_TABLES.length);
    const props = (name: keyof ChatTables) => tables[tableId(name)]!.Properties as Record<string, unknown>;
    expect(props('messages').KeySchema).toEqual([
      { AttributeName: MESSAGES_TABLE.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: MESSAGES_TABLE.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(props('connections').GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byRoom',
        KeySchema: [
          { AttributeName: 'roomId', KeyType: 'HASH' },
          { AttributeName: 'connectionId', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...CONNECTIONS_TABLE.indexes[0].nonKeyAttributes] },
      },
    ]);
    expect(props('connections').TimeToLiveSpecification).toEqual({ AttributeName: CONNECTIONS_TABLE.ttlAttribute, Enabled: true });
    expect(props('tickets').TimeToLiveSpecification).toEqual({ AttributeName: TICKETS_TABLE.ttlAttribute, Enabled: true });
    expect(props('tickets').KeySchema).toEqual([{ AttributeName: 'ticketHash', KeyType: 'HASH' }]);
    // The legacy index stays unchanged (no index change on an existing table in this deploy).
    expect(CONNECTIONS_TABLE.indexes[0].nonKeyAttributes).toEqual(['expiresAt', 'userId', 'displayName']);
    // The rooms tables: keys and indexes exactly as defined; the Browse index is sparse (only public rooms carry `browse`).
    for (const [name, def] of [['rooms', ROOMS_TABLE], ['memberships', MEMBERSHIPS_TABLE], ['subscriptions', SUBSCRIPTIONS_TABLE]] as const) {
      expect(props(name).KeySchema).toEqual([
        { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
        ...('sortKey' in def ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
      ]);
      expect(props(name).GlobalSecondaryIndexes).toEqual(
        def.indexes.map((i) => ({
          IndexName: i.indexName,
          KeySchema: [
            { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...i.nonKeyAttributes] },
        })),
      );
    }
    expect(props('subscriptions').TimeToLiveSpecification).toEqual({ AttributeName: SUBSCRIPTIONS_TABLE.ttlAttribute, Enabled: true });
    // Message actions: a NEW table for the per-room change order (Messages keeps its keys and has no index added).
    expect(props('messageChanges').KeySchema).toEqual([
      { AttributeName: MESSAGE_CHANGES_TABLE.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: MESSAGE_CHANGES_TABLE.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(props('messageChanges').GlobalSecondaryIndexes).toBeUndefined();
    expect(props('messageChanges').TimeToLiveSpecification).toBeUndefined();
    // Exact mention badges: a NEW table for the mention index (PK roomId#userId, SK messageId), no index.
    expect(props('mentions').KeySchema).toEqual([
      { AttributeName: MENTIONS_TABLE.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: MENTIONS_TABLE.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(props('mentions').GlobalSecondaryIndexes).toBeUndefined();
    expect(props('messages').GlobalSecondaryIndexes).toBeUndefined();
    expect(props('rooms').TimeToLiveSpecification).toBeUndefined();
    expect(props('memberships').TimeToLiveSpecification).toBeUndefined();
    for (const [name, def] of [['sendReceipts', SEND_RECEIPTS_TABLE], ['rateLimits', RATE_LIMITS_TABLE]] as const) {
      expect(props(name).KeySchema).toEqual([{ AttributeName: def.partitionKey.name, KeyType: 'HASH' }]);
      expect(props(name).TimeToLiveSpecification).toEqual({ AttributeName: def.ttlAttribute, Enabled: true });
      expect(props(name).GlobalSecondaryIndexes).toBeUndefined();
    }
  });

  it('every table in every template: on-demand, point-in-time recovery, encrypted, retained on a branch', () => {
    const { templates } = checkAssembly(assemblyDir);
    const tables = templates.flatMap(({ template }) =>
      Object.values(template.Resources ?? {}).filter((r) => r.Type === 'AWS::DynamoDB::Table'),
    );
    expect(tables).toHaveLength(ALL_TABLES.length);
    for (const table of tables) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
      expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });
});

describe('IAM', () => {
  it('no statement in any template allows dynamodb:Scan (so no dynamodb:* or * either)', () => {
    const { templates } = checkAssembly(assemblyDir);
    expect(templates.length).toBeGreaterThanOrEqual(4);
    const offending = templates.flatMap(({ file, template }) =>
      allStatements(template)
        .filter((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => actionMatches(a, 'dynamodb:Scan')))
        .map((s) => `${file}: ${JSON.stringify(s.Action)}`),
    );
    expect(offending).toEqual([]);
  });

  /** The one managed policy a function role may carry: write its own logs. */
  const BASIC_EXECUTION = 'arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

  it('each function gets exactly the data-plane actions its handler calls, on exactly its tables', () => {
    const b = mod.backend;
    const t = {
      m: `<${tableId('messages')}.Arn>`,
      c: `<${tableId('connections')}.Arn>`,
      k: `<${tableId('tickets')}.Arn>`,
      r: `<${tableId('sendReceipts')}.Arn>`,
      l: `<${tableId('rateLimits')}.Arn>`,
      R: `<${tableId('rooms')}.Arn>`,
      M: `<${tableId('memberships')}.Arn>`,
      S: `<${tableId('subscriptions')}.Arn>`,
      X: `<${tableId('messageChanges')}.Arn>`,
      N: `<${tableId('mentions')}.Arn>`,
    };
    const api = `<${idOf(mod.realtime.webSocket.api)}>`;
    const manage = `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:${api}/prod/*/@connections/*`;
    // Any post: a 410 deletes the socket's row and (found through byUser) its subscriptions.
    // (and rooms where it was the user's last socket hear `left`: a room fan-out, one Query per page of subscriptions).
    const post = ['dynamodb:DeleteItem ' + t.c, `dynamodb:Query ${t.S}/index/byUser`, 'dynamodb:BatchWriteItem ' + t.S, 'dynamodb:Query ' + t.S, 'execute-api:ManageConnections ' + manage];
    // Room fan-out: one Query per page of the room's subscriptions (the table itself, never a Scan), then posts.
    const fanOut = post;
    // Authorization: the caller's membership, else the public room's row.
    const access = ['dynamodb:GetItem ' + t.M, 'dynamodb:GetItem ' + t.R];
    // Joining a public room: count the user's rooms, put the membership, bump the count (and the activity stamp).
    const join = [...access, `dynamodb:Query ${t.M}/index/byUser`, 'dynamodb:PutItem ' + t.M, 'dynamodb:UpdateItem ' + t.R, 'dynamodb:Query ' + t.m];
    // Big rooms: hand shards to the fan-out queue (SendMessageBatch authorizes as SendMessage).
    const queueSend = `sqs:SendMessage <${idOf(mod.fanOut.queue)}.Arn>`;
    // sendMessage: receipt lookup + claim, one counter update, the message put.
    // (+ the quoted message of a reply, a retry's current message with its quote)
    const send = [
      ...fanOut,
      queueSend,
      ...join,
      'dynamodb:GetItem ' + t.r,
      'dynamodb:PutItem ' + t.r,
      'dynamodb:UpdateItem ' + t.l,
      'dynamodb:PutItem ' + t.m,
      'dynamodb:GetItem ' + t.m,
      'dynamodb:BatchGetItem ' + t.m,
      // A fresh message and its mention index items in one BatchWriteItem (and a re-stored row's items).
      'dynamodb:BatchWriteItem ' + t.m,
      'dynamodb:BatchWriteItem ' + t.N,
    ];
    const unique = (grants: string[]) => [...new Set(grants)];
    const expected: Record<keyof RealtimeFunctions, string[]> = {
      createTicket: ['dynamodb:PutItem ' + t.k],
      wsAuthorizer: ['dynamodb:DeleteItem ' + t.k],
      // $connect writes its row and posts nothing.
      wsConnect: ['dynamodb:PutItem ' + t.c],
      wsDisconnect: [...fanOut, queueSend],
      // History (+ quotes) and the changes feed: counter read, entries Query, current states BatchGet.
      getMessages: [...access, 'dynamodb:Query ' + t.m, 'dynamodb:BatchGetItem ' + t.m, 'dynamodb:GetItem ' + t.X, 'dynamodb:Query ' + t.X],
      storeMessage: unique(send),
      // Plus the socket's own row (who is acting; the heartbeat), liveness for presence, subscribe, markRead.
      wsMessage: unique([
        ...send,
        'dynamodb:GetItem ' + t.c,
        'dynamodb:UpdateItem ' + t.c,
        'dynamodb:BatchGetItem ' + t.c,
        'dynamodb:BatchGetItem ' + t.M,
        'dynamodb:BatchGetItem ' + t.R,
        'dynamodb:UpdateItem ' + t.M,
        // edit/delete/react: one conditional update of the message, the change counter + entry, the receipt scrub.
        'dynamodb:UpdateItem ' + t.m,
        'dynamodb:UpdateItem ' + t.X,
        'dynamodb:PutItem ' + t.X,
        'dynamodb:UpdateItem ' + t.r,
      ]),
      rooms: unique([
        ...post,
        ...join,
        'dynamodb:UpdateItem ' + t.l,
        'dynamodb:PutItem ' + t.R,
        'dynamodb:BatchGetItem ' + t.R,
        `dynamodb:Query ${t.R}/index/byActivity`,
        'dynamodb:Query ' + t.N, // exact mention counts above 99 unread
        'dynamodb:DeleteItem ' + t.M,
        'dynamodb:UpdateItem ' + t.M,
        'dynamodb:BatchGetItem ' + t.M,
        'dynamodb:Query ' + t.M,
      ]),
    };
    for (const [name, grants] of Object.entries(expected)) {
      const fn = b[name as keyof RealtimeFunctions].resources.lambda;
      const statements = roleStatements(realtime.toJSON() as CfnTemplate, idOf(fn.role!));
      const actual = statements.flatMap((s) => actionsOf(s).flatMap((a) => resourcesOf(s).map((r) => `${a} ${r}`)));
      expect({ name, grants: [...new Set(actual)].sort() }).toEqual({ name, grants: [...grants].sort() });
      expect(new Set(actual).size, `${name}: a grant repeated`).toBe(actual.length);
      expect(statements.every((s) => s.Effect === 'Allow' && !s.Condition)).toBe(true);
      // Managed policies grant what no statement above shows (e.g. AmazonDynamoDBReadOnlyAccess): only logging.
      expect({ name, managed: roleManagedPolicies(realtime.toJSON() as CfnTemplate, idOf(fn.role!)) }).toEqual({ name, managed: [BASIC_EXECUTION] });
    }
  });

  it('each function gets exactly the env vars its handler reads', () => {
    const b = mod.backend;
    const ref = (name: keyof ChatTables) => ({ Ref: tableId(name) });
    const callback = `https://<${idOf(mod.realtime.webSocket.api)}>.execute-api.<AWS::Region>.<AWS::URLSuffix>/prod`;
    const envOf = (fn: IFunction) => {
      const vars = { ...(realtime.toJSON().Resources[fnId(fn)].Properties.Environment.Variables as Record<string, unknown>) };
      delete vars.AMPLIFY_SSM_ENV_CONFIG; // Amplify's own (secrets plumbing, empty here)
      delete vars.CHAT_DEPLOYMENT; // the metrics dimension every function gets (asserted in amplify/stacks/monitoring.infra-suite.ts)
      if (vars[CALLBACK_URL_ENV]) vars[CALLBACK_URL_ENV] = show(vars[CALLBACK_URL_ENV]);
      return vars;
    };
    expect(envOf(b.createTicket.resources.lambda)).toEqual({ TICKETS_TABLE: ref('tickets') });
    expect(envOf(b.wsAuthorizer.resources.lambda)).toEqual({ TICKETS_TABLE: ref('tickets') });
    expect(envOf(b.wsConnect.resources.lambda)).toEqual({ CONNECTIONS_TABLE: ref('connections') });
    const posting = { CONNECTIONS_TABLE: ref('connections'), SUBSCRIPTIONS_TABLE: ref('subscriptions'), [CALLBACK_URL_ENV]: callback };
    const access = { MEMBERSHIPS_TABLE: ref('memberships'), ROOMS_TABLE: ref('rooms') };
    const queueUrl = { Ref: idOf(mod.fanOut.queue) };
    expect(envOf(b.wsDisconnect.resources.lambda)).toEqual({ ...posting, FANOUT_QUEUE_URL: queueUrl });
    expect(envOf(b.getMessages.resources.lambda)).toEqual({ MESSAGES_TABLE: ref('messages'), MESSAGE_CHANGES_TABLE: ref('messageChanges'), ...access });
    for (const fn of [b.storeMessage, b.wsMessage]) {
      expect(envOf(fn.resources.lambda)).toEqual({
        ...posting,
        ...access,
        MESSAGES_TABLE: ref('messages'),
        SEND_RECEIPTS_TABLE: ref('sendReceipts'),
        RATE_LIMITS_TABLE: ref('rateLimits'),
        MENTIONS_TABLE: ref('mentions'),
        ...(fn === b.wsMessage ? { MESSAGE_CHANGES_TABLE: ref('messageChanges') } : {}),
        FANOUT_QUEUE_URL: queueUrl,
      });
    }
    expect(envOf(b.rooms.resources.lambda)).toEqual({ ...posting, ...access, MESSAGES_TABLE: ref('messages'), RATE_LIMITS_TABLE: ref('rateLimits'), MENTIONS_TABLE: ref('mentions') });
  });

  it('functions run Node 24 on arm64 within the 29 s API budget, with bounded log retention', () => {
    const functions = realtime.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(9); // eight behind the APIs + the fan-out worker
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      expect(fn.Properties.Timeout).toBeLessThanOrEqual(29);
      expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: expect.any(String) });
    }
    realtime.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 9);
  });
});

describe('site', () => {
  it('bucket blocks public access, enforces TLS and encrypts', () => {
    site.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    site.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('CloudFront redirects to HTTPS and reads the bucket through OAC only', () => {
    site.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    site.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    site.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
        CustomErrorResponses: [
          Match.objectLike({ ErrorCode: 403, ResponseCode: 404, ResponsePagePath: '/404.html' }),
          Match.objectLike({ ErrorCode: 404, ResponseCode: 404, ResponsePagePath: '/404.html' }),
        ],
      }),
    });
  });

  it('depends on no other stack (the realtime stack depends on it, for CORS)', () => {
    expect(site.toJSON().Parameters ?? {}).toEqual({});
  });
});

describe('outputs and stack graph', () => {
  /** The customOutputs JSON with every intrinsic rendered by `render`. */
  const customOutputs = (render: (v: unknown) => string) => {
    const value = root.toJSON().Outputs.customOutputs.Value as { 'Fn::Join': [string, unknown[]] };
    return JSON.parse(value['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : render(p))).join('')) as {
      custom: { chat: Record<string, string> };
    };
  };

  it('publishes custom.chat (lib/outputs.ts shape) plus the site bucket and distribution', () => {
    expect(root.toJSON().Metadata['AWS::Amplify::Custom']).toEqual({ version: '1', stackOutputs: ['customOutputs'] });
    // With intrinsics replaced by plausible values (an API's ApiEndpoint attribute is a whole https URL),
    // the client's own schema must accept the result.
    const plausible = (v: unknown) => (show(v).endsWith('ApiEndpoint>') ? 'https://api.example' : 'x');
    expect(() => chatOutputsFrom(customOutputs(plausible))).not.toThrow();
    const chat = customOutputs(show).custom.chat;
    expect(chat.webSocketUrl).toMatch(/^wss:\/\/<realtime\w+\.Outputs\.\w+WebSocketApi\w+Ref>\.execute-api\.<AWS::Region>\.<AWS::URLSuffix>\/prod$/);
    expect(chat.httpApiUrl).toMatch(/^<realtime\w+\.Outputs\.\w+HttpApi\w+ApiEndpoint>$/);
    expect(chat.siteUrl).toMatch(/^https:\/\/<site\w+\.Outputs\.\w+DomainName>$/);
    expect(chat.siteBucketName).toMatch(/^<site\w+\.Outputs\.\w+SiteBucket\w+Ref>$/);
    expect(chat.siteDistributionId).toMatch(/^<site\w+\.Outputs\.\w+SiteDistribution\w+Ref>$/);
  });

  it('has no dependency cycle; realtime depends on auth and site, which depend on nothing', () => {
    const report = checkAssembly(assemblyDir);
    expect(report.cycles).toEqual([]);
    const [graph] = Object.values(report.stackGraphs);
    const named = Object.fromEntries(
      Object.entries(graph!).map(([id, deps]) => [id.replace(/[0-9A-F]{8}$/, ''), deps.map((d) => d.replace(/[0-9A-F]{8}$/, ''))]),
    );
    expect(named).toEqual({ auth: [], realtime: ['auth', 'site'], site: [] });
  });
});

describe('fan-out queue (sharded fan-out for big rooms)', () => {
  const queues = () => realtime.findResources('AWS::SQS::Queue');
  const queueId = () => idOf(mod.fanOut.queue);
  const dlqId = () => idOf(mod.fanOut.deadLetterQueue);

  it('has a shard queue and a dead-letter queue, both encrypted, with redrive after 3 receives', () => {
    expect(Object.keys(queues()).sort()).toEqual([queueId(), dlqId()].sort());
    const q = queues()[queueId()]!.Properties;
    expect(q).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 300, VisibilityTimeout: 30 });
    expect(q.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] }, maxReceiveCount: 3 });
    expect(queues()[dlqId()]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    // TLS only on both.
    const policies = Object.values(realtime.findResources('AWS::SQS::QueuePolicy'));
    const denied = policies.flatMap((p) => p.Properties.PolicyDocument.Statement).filter((st: { Effect: string; Condition?: unknown }) => st.Effect === 'Deny');
    expect(denied.map((st: { Condition: unknown }) => st.Condition)).toEqual([{ Bool: { 'aws:SecureTransport': 'false' } }, { Bool: { 'aws:SecureTransport': 'false' } }]);
  });

  it('alarms as soon as one shard is dead-lettered', () => {
    realtime.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('feeds the worker in batches with partial batch failures and bounded concurrency', () => {
    realtime.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      FunctionName: { Ref: fnId(mod.backend.fanoutWorker.resources.lambda) },
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 200 },
    });
  });

  it('grants the worker only what posting a shard needs: consume the queue, @connections, delete gone rows, announce them', () => {
    const fn = mod.backend.fanoutWorker.resources.lambda;
    const statements = roleStatements(realtime.toJSON() as CfnTemplate, idOf(fn.role!));
    const actual = statements.flatMap((st) => actionsOf(st).flatMap((a) => resourcesOf(st).map((r) => `${a} ${r}`))).sort();
    const api = `<${idOf(mod.realtime.webSocket.api)}>`;
    expect(actual).toEqual(
      [
        'dynamodb:DeleteItem ' + `<${tableId('connections')}.Arn>`,
        `dynamodb:Query <${tableId('subscriptions')}.Arn>/index/byUser`,
        'dynamodb:BatchWriteItem ' + `<${tableId('subscriptions')}.Arn>`,
        // A gone socket's `left` delta: one Query per page of its room's subscriptions.
        'dynamodb:Query ' + `<${tableId('subscriptions')}.Arn>`,
        `execute-api:ManageConnections arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:${api}/prod/*/@connections/*`,
        ...['ChangeMessageVisibility', 'DeleteMessage', 'GetQueueAttributes', 'GetQueueUrl', 'ReceiveMessage'].map((a) => `sqs:${a} <${queueId()}.Arn>`),
      ].sort(),
    );
    expect(statements.every((st) => st.Effect === 'Allow' && !st.Condition)).toBe(true);
    // No one else may consume the queue; senders may only send.
    const consumers = allStatements(realtime.toJSON() as CfnTemplate).filter((st) => actionsOf(st).some((a) => a === 'sqs:ReceiveMessage'));
    expect(consumers).toHaveLength(1);
  });
});
