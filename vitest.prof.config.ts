import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { include: [process.env.PROF_FILE!], testTimeout: 950_000, hookTimeout: 60_000, fileParallelism: false, execArgv: ['--max-semi-space-size=64', '--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--cpu-prof-interval=2000'] } });
