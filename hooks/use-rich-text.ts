/**
 * The rich-text parser, loaded lazily: markdown-it is only fetched once a signed-in screen first renders a
 * message, in its own chunk. Until it arrives callers show plain text (with mentions), then re-render.
 */
import { useEffect, useState } from 'react';

type RichTextModule = typeof import('../lib/chat/rich-text');

let loaded: RichTextModule | undefined;
let loading: Promise<RichTextModule> | undefined;

/** Starts loading the parser (idempotent); resolves with the module. */
export function loadRichText(): Promise<RichTextModule> {
  loading ??= import('../lib/chat/rich-text').then((m) => (loaded = m));
  return loading;
}

/** The parser module once loaded (undefined before; the component re-renders when it arrives). */
export function useRichText(): RichTextModule | undefined {
  const [module, setModule] = useState(loaded);
  useEffect(() => {
    if (module) return;
    let live = true;
    void loadRichText().then((m) => live && setModule(m), () => undefined);
    return () => {
      live = false;
    };
  }, [module]);
  return module;
}
