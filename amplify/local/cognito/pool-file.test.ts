import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readNewUser, readStoredUser } from './pool-file';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pool-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pool = { Users: { 'sub-1': { Username: 'sub-1', ConfirmationCode: '123456', Attributes: [{ Name: 'email', Value: 'A@Example.com' }] } } };

describe('readStoredUser', () => {
  it('finds a user by username or e-mail, case-insensitively', async () => {
    const file = join(dir, 'pool.json');
    await writeFile(file, JSON.stringify(pool));
    expect(await readStoredUser(file, 'a@example.com')).toMatchObject({ ConfirmationCode: '123456' });
    expect(await readStoredUser(file, 'sub-1')).toMatchObject({ Username: 'sub-1' });
    expect(await readStoredUser(file, 'nobody')).toBeUndefined();
  });

  it('reads again when it catches the file half-written (concurrent sign-ups), and fails on a file that stays broken', async () => {
    const file = join(dir, 'pool.json');
    const text = JSON.stringify(pool);
    await writeFile(file, text.slice(0, 20));
    setTimeout(() => void writeFile(file, text), 60);
    expect(await readStoredUser(file, 'a@example.com')).toMatchObject({ ConfirmationCode: '123456' });
    await writeFile(file, '{"Users":');
    await expect(readStoredUser(file, 'a@example.com')).rejects.toBeInstanceOf(SyntaxError);
  });

  it('waits briefly for a new user the file does not hold yet (cognito-local answered before writing it), then gives up', async () => {
    const file = join(dir, 'pool.json');
    await writeFile(file, JSON.stringify({ Users: {} }));
    setTimeout(() => void writeFile(file, JSON.stringify(pool)), 60);
    expect(await readNewUser(file, 'sub-1')).toMatchObject({ ConfirmationCode: '123456' });
    expect(await readNewUser(file, 'nobody')).toBeUndefined();
  });
});
