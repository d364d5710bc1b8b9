/**
 * Runs in the browser before any app module (Next's instrumentation-client convention). Zod probes
 * `new Function('')` when it builds its first object schema, to decide whether to compile fast parsers;
 * the site's CSP forbids eval, so that probe would be reported as a CSP violation. Zod parses without
 * compiling instead, which must be set before any schema module loads, hence here.
 */
import * as z from 'zod';

z.config({ jitless: true });
