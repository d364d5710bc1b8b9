/**
 * The link rules of rich text, apart from the parser: the renderer (components/message/rich-body.tsx) needs
 * them at once, while lib/chat/rich-text.ts (markdown-it) loads lazily in its own chunk; importing a value from
 * that module would pull markdown-it into the chat's first chunk.
 */

/** URL schemes a link may use. */
export const LINK_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/** The attributes every link gets (new tab, no referrer, no opener, no SEO credit). */
export const LINK_REL = 'noopener noreferrer nofollow';
