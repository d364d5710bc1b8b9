/**
 * Runs in the browser before any app module (Next's instrumentation-client convention): zod must not compile
 * parsers under the site's CSP (lib/zod-jitless.ts), which must be set before any schema module loads, hence here.
 * It sets the option without importing zod, so the sign-in page loads no validator.
 */
import { makeZodJitless } from './lib/zod-jitless';

makeZodJitless();
