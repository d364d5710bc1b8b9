/**
 * Seeds one user pool and one app client in cognito-local, once. Their ids are kept in
 * `<dataDir>/local-cognito.json`, so a restart reuses them (and every account in `.cognito/db/`).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { USER_POOL, USER_POOL_CLIENT } from './pool-settings';
import { cognitoRpc } from './rpc';

/** The seeded ids. */
export interface SeededIds {
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

/** File (in dataDir) that remembers the seeded ids. */
export const IDS_FILE = 'local-cognito.json';

/** Reuses the pool and client named in dataDir when cognito-local still knows them; creates them otherwise. */
export async function ensureSeeded(cognitoUrl: string, dataDir: string): Promise<SeededIds> {
  const file = join(dataDir, IDS_FILE);
  const saved = existsSync(file) ? await readIds(file) : undefined;
  if (saved && (await clientExists(cognitoUrl, saved))) return saved;

  const { UserPool } = await cognitoRpc<{ UserPool: { Id: string } }>(cognitoUrl, 'CreateUserPool', USER_POOL);
  const { UserPoolClient } = await cognitoRpc<{ UserPoolClient: { ClientId: string } }>(
    cognitoUrl,
    'CreateUserPoolClient',
    { ...USER_POOL_CLIENT, UserPoolId: UserPool.Id },
  );
  const ids: SeededIds = { userPoolId: UserPool.Id, userPoolClientId: UserPoolClient.ClientId };
  await writeFile(file, `${JSON.stringify(ids, null, 2)}\n`);
  return ids;
}

async function readIds(file: string): Promise<SeededIds | undefined> {
  try {
    const ids = JSON.parse(await readFile(file, 'utf8')) as Partial<SeededIds>;
    return ids.userPoolId && ids.userPoolClientId
      ? { userPoolId: ids.userPoolId, userPoolClientId: ids.userPoolClientId }
      : undefined;
  } catch {
    return undefined; // unreadable: seed afresh
  }
}

async function clientExists(cognitoUrl: string, ids: SeededIds): Promise<boolean> {
  try {
    await cognitoRpc(cognitoUrl, 'DescribeUserPoolClient', {
      UserPoolId: ids.userPoolId,
      ClientId: ids.userPoolClientId,
    });
    return true;
  } catch {
    return false; // the db was wiped (or the pool deleted): seed again
  }
}
