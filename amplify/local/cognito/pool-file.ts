/**
 * Reads a user straight from cognito-local's pool file (`.cognito/db/<poolId>.json`). Used for the
 * confirmation code only: cognito-local stores it there before answering SignUp, while its stdout (where
 * it "mails" the code) can lag behind by a whole log line — pino-pretty flushes one message late.
 */
import { readFile } from 'node:fs/promises';

/** The fields of a stored cognito-local user the proxy needs. */
export interface StoredUser {
  readonly Username: string;
  readonly UserStatus?: string;
  readonly ConfirmationCode?: string;
  readonly Attributes?: ReadonlyArray<{ readonly Name: string; readonly Value?: string }>;
}

/** An attribute's value. */
export function attributeOf(user: StoredUser, name: string): string | undefined {
  return user.Attributes?.find((a) => a.Name === name)?.Value;
}

/** Reads of a file caught mid-write (cognito-local rewrites it in place) are retried this often, this far apart. */
const READ_ATTEMPTS = 10;
const READ_RETRY_MS = 25;

/** The pool file's JSON; a half-written file (concurrent sign-ups) is read again instead of failing. */
async function readPool(poolFile: string): Promise<{ Users?: Record<string, StoredUser> }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return JSON.parse(await readFile(poolFile, 'utf8')) as { Users?: Record<string, StoredUser> };
    } catch (error) {
      if (!(error instanceof SyntaxError) || attempt >= READ_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, READ_RETRY_MS));
    }
  }
}

/** Finds a user by username, sub or e-mail alias (cognito-local's own lookup order), case-insensitively. */
export async function readStoredUser(poolFile: string, key: string): Promise<StoredUser | undefined> {
  const wanted = key.trim().toLowerCase();
  if (!wanted) return undefined;
  const pool = await readPool(poolFile);
  return Object.values(pool.Users ?? {}).find((user) =>
    [user.Username, attributeOf(user, 'sub'), attributeOf(user, 'email')].some(
      (value) => value?.toLowerCase() === wanted,
    ),
  );
}

/**
 * The new user of a SignUp cognito-local just answered: it can answer before the file holds the user (two sign-ups
 * at once rewrite the file one after the other), so a user not there yet is looked for again, briefly.
 */
export async function readNewUser(poolFile: string, key: string): Promise<StoredUser | undefined> {
  for (let attempt = 1; ; attempt++) {
    const user = await readStoredUser(poolFile, key);
    if (user || attempt >= READ_ATTEMPTS) return user;
    await new Promise((resolve) => setTimeout(resolve, READ_RETRY_MS));
  }
}
