/**
 * Stands in for Node's `buffer` in the browser bundle (next.config.mjs aliases it). Turbopack otherwise ships a
 * Buffer polyfill (~6 KB gzip) on the sign-in page because @aws-crypto/util mentions the global `Buffer`, behind
 * `typeof Buffer !== "undefined"`: with no Buffer it encodes with TextEncoder instead, the same bytes.
 */
export const Buffer = undefined;
