/** Debian's Chromium (Playwright cannot download browsers here), with flags that keep it off the network. */
import { existsSync } from 'node:fs';

/**
 * Where Chromium is looked for: $CHROMIUM_PATH first, then Debian's headless shell (package
 * `chromium-headless-shell`, the binary Playwright itself runs for headless tests: no window system, about a fifth
 * less CPU than the full browser here), then the full browser (set CHROMIUM_PATH to it for `--headed` runs).
 */
const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

/**
 * Launch options for Playwright: the first Chromium found, kept off the network (plus any flags in $E2E_CHROME_ARGS,
 * space-separated, for measuring or debugging); throws naming the fix if none.
 */
export function chromiumLaunchOptions() {
  const executablePath = CANDIDATES.find((p): p is string => !!p && existsSync(p));
  if (!executablePath) {
    throw new Error('Chromium not found: install it (`sudo apt-get install -y chromium-headless-shell chromium`) or set CHROMIUM_PATH');
  }
  return {
    executablePath,
    args: [
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-gpu',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ...(process.env.E2E_CHROME_ARGS ?? '').split(' ').filter(Boolean),
    ],
  };
}
