/**
 * e2e against a deployed branch (BASE_URL): test users are created and deleted through the Cognito admin
 * API (no email), and what the run wrote (its users' messages, and with them the rooms it made) is deleted
 * afterwards. Refuses to run against production. Credentials: the CI role (docs/deploy.md).
 */
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { MESSAGES_TABLE } from '../amplify/chat/tables';

/** Branches e2e never runs against: their data is real users'. */
export const PRODUCTION_BRANCHES = ['main', 'master', 'prod', 'production'];

/** Where the deployed run points, from the environment global-setup.ts validated. */
export interface DeployedTarget {
  readonly region: string;
  readonly userPoolId: string;
  /** Prefix of every e2e user's email in this run (cleanup finds them by it). */
  readonly emailPrefix: string;
}

/** Refuses a missing or production branch; the message says what to set. */
export function checkBranch(branch: string | undefined): string {
  if (!branch) throw new Error('BASE_URL is set but E2E_BRANCH is not: name the (non-production) branch the URL belongs to, e.g. E2E_BRANCH=staging');
  if (PRODUCTION_BRANCHES.includes(branch)) {
    throw new Error(`e2e creates and deletes users and messages: refusing to run against "${branch}" (production). Point BASE_URL at a staging deployment.`);
  }
  return branch;
}

const cognito = (region: string) => new CognitoIdentityProviderClient({ region });

/** Creates a confirmed user with a permanent password (no email is sent). */
export async function createUser(target: DeployedTarget, user: { email: string; password: string; displayName: string }): Promise<void> {
  const client = cognito(target.region);
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: target.userPoolId,
      Username: user.email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: user.email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'preferred_username', Value: user.displayName },
      ],
    }),
  );
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId: target.userPoolId, Username: user.email, Password: user.password, Permanent: true }));
}

/** Deletes the run's users and every message they wrote; returns what it removed. */
export async function cleanUp(target: DeployedTarget, messagesTable: string | undefined): Promise<{ users: number; messages: number }> {
  const client = cognito(target.region);
  const users: Array<{ username: string; sub: string }> = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListUsersCommand({ UserPoolId: target.userPoolId, Filter: `email ^= "${target.emailPrefix}"`, PaginationToken: token }),
    );
    for (const u of page.Users ?? []) {
      const sub = u.Attributes?.find((a) => a.Name === 'sub')?.Value;
      if (u.Username && sub) users.push({ username: u.Username, sub });
    }
    token = page.PaginationToken;
  } while (token);

  let messages = 0;
  if (messagesTable && users.length) {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: target.region }));
    const authors = Object.fromEntries(users.map((u, i) => [`:a${i}`, u.sub]));
    let start: Record<string, unknown> | undefined;
    do {
      // A scan of the staging table, once per run: the run's rooms are not known, its authors are.
      const page = await db.send(
        new ScanCommand({
          TableName: messagesTable,
          FilterExpression: `authorId IN (${Object.keys(authors).join(', ')})`,
          ExpressionAttributeValues: authors,
          ProjectionExpression: `${MESSAGES_TABLE.partitionKey.name}, ${MESSAGES_TABLE.sortKey!.name}`,
          ExclusiveStartKey: start,
        }),
      );
      const keys = page.Items ?? [];
      for (let i = 0; i < keys.length; i += 25) {
        await db.send(new BatchWriteCommand({ RequestItems: { [messagesTable]: keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) } }));
      }
      messages += keys.length;
      start = page.LastEvaluatedKey;
    } while (start);
  }
  for (const u of users) await client.send(new AdminDeleteUserCommand({ UserPoolId: target.userPoolId, Username: u.username }));
  return { users: users.length, messages };
}

/** The branch's messages table (its CloudFormation name carries the app id, branch and construct id). */
export async function findMessagesTable(region: string, appId: string | undefined, branch: string): Promise<string | undefined> {
  if (!appId) return undefined;
  const db = new DynamoDBClient({ region });
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await db.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  const matches = names.filter((n) => n.startsWith(`amplify-${appId}-${branch}-branch-`) && n.includes(`${MESSAGES_TABLE.id}Table`));
  return matches.length === 1 ? matches[0] : undefined;
}
