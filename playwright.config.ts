import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';

/**
 * e2e runs the static export (out/) against the embedded local stack, in Debian's Chromium.
 * The stack is started and stopped by e2e/global-setup.ts on free ports.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  use: {
    // A failed test keeps its trace (actions, DOM snapshots, network, console) and a screenshot of each page. The
    // trace's own screencast is off: it made Chromium paint and encode every frame of every test, about a quarter of
    // e2e's CPU (measured: 115 s → 85 s CPU on three spec files).
    trace: { mode: 'retain-on-failure', screenshots: false },
    screenshot: 'only-on-failure',
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() } }],
});
