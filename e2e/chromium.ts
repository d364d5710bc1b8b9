/** Debian's Chromium (Playwright cannot download browsers here), with flags that keep it off the network. */
import { existsSync } from 'node:fs';

/** Where Chromium is looked for: $CHROMIUM_PATH first, then Debian's and other usual paths. */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumLaunchOptions() {
  const executablePath = CANDIDATES.find((p): p is string => !!p && existsSync(p));
  if (!executablePath) {
    throw new Error('Chromium not found: install it (`sudo apt-get install -y chromium`) or set CHROMIUM_PATH');
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
    ],
  };
}
