/**
 * Tells zod, before it loads, never to compile parsers. Zod probes `new Function('')` when it builds its first
 * object schema; the site's CSP forbids eval, so the probe would be reported as a CSP violation.
 *
 * Zod keeps its global config on `globalThis.__zod_globalConfig` and adopts an object already there, so this
 * sets the flag without importing zod: the sign-in page (where this runs, see instrumentation-client.ts) then
 * carries no validator at all, and the chat's zod chunk loads after sign-in. lib/zod-jitless.test.ts proves zod
 * still reads it from there.
 */

/** Sets zod's `jitless` option ahead of zod's own modules; idempotent, keeps any other option already set. */
export function makeZodJitless(): void {
  const g = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
  (g.__zod_globalConfig ??= {}).jitless = true;
}
