/**
 * Test helper: captures everything this process prints — process.stdout/stderr writes (where the
 * Powertools Logger writes its JSON lines) and the global console — so a test can search it for secrets.
 * Import it FIRST: on import it turns the handlers' logging up to DEBUG, before any logger module loads,
 * so the search covers every line a handler can write, not only warnings.
 */
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

type Write = typeof process.stdout.write;
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** A running capture: `lines()` so far; `stop()` restores the real streams. */
export interface OutputCapture {
  lines(): string[];
  stop(): void;
}

/** Starts capturing (nothing is passed through: DEBUG output would flood the test report). */
export function captureOutput(): OutputCapture {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  const consoles = CONSOLE_METHODS.map((name) => console[name]);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as Write;
  }
  for (const name of CONSOLE_METHODS) console[name] = (...args: unknown[]) => void chunks.push(`${args.map(String).join(' ')}\n`);
  return {
    lines: () => chunks.join('').split('\n').filter((line) => line.trim()),
    stop() {
      streams.forEach((stream, i) => (stream.write = writes[i]!));
      CONSOLE_METHODS.forEach((name, i) => (console[name] = consoles[i]!));
    },
  };
}
