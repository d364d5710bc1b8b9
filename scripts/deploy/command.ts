/** Runs the AWS CLI (and other tools) for the deploy scripts; `--dry-run` prints the commands instead. */
import { spawnSync } from 'node:child_process';

/** A failed command: the message names the command and what it printed. */
export class CommandError extends Error {
  override name = 'CommandError';
}

/** Whether this process was asked for a dry run (commands printed, nothing sent to AWS). */
export const DRY_RUN = process.argv.includes('--dry-run');

/** Runs `command args…`, returns its stdout; throws CommandError on a non-zero exit. Dry run: prints, returns ''. */
export function run(command: string, args: readonly string[], { quiet = false } = {}): string {
  if (DRY_RUN) {
    console.log(`[dry-run] ${[command, ...args].map((a) => (/[\s*'"]/.test(a) ? `'${a}'` : a)).join(' ')}`);
    return '';
  }
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new CommandError(`${command}: ${result.error.message} (is it installed and on PATH?)`);
  if (result.status !== 0) throw new CommandError(`${command} ${args.slice(0, 3).join(' ')} … failed (exit ${result.status}): ${(result.stderr ?? '').trim().slice(-500)}`);
  return result.stdout;
}

/** Value of `--name value` in argv, or the fallback; exits with a message when required and missing. */
export function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (!value) fail(`missing --${name}`);
  return value;
}

/** Prints one clear error line (a GitHub annotation in Actions) and exits 1. */
export function fail(message: string): never {
  console.error(process.env.GITHUB_ACTIONS ? `::error::${message}` : `error: ${message}`);
  process.exit(1);
}
