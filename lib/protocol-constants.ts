/**
 * The zod-free half of the wire protocol: limits, protocol versions, typed error codes, room id and text rules,
 * route keys and HTTP routes. Import from here (not lib/protocol.ts) where no frame is validated, e.g. the page
 * before sign-in, so no validator is bundled; lib/protocol.ts re-exports all of it.
 */
export * from './protocol/limits';
export * from './protocol/error-codes';
export * from './protocol/room-ids';
export * from './protocol/text';
export * from './protocol/routes';
