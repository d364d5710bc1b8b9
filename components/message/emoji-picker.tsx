'use client';
/**
 * The reaction picker: a row of common emoji, then any emoji by search (name or tag) or by category, in the
 * skin tone the reader chose (six radio buttons; kept in localStorage). Loaded on first use in its own chunk; the
 * emoji data (emojibase-data 17, a static JSON file of ~44 KB gzip) only once someone searches or browses;
 * plain elements styled from the app's stylesheet,
 * so nothing injects `<style>` (the CSP refuses inline styles). Keyboard: arrows move between emoji, Enter picks,
 * Esc closes (focus returns to the message's actions button); the tones are native radios (Tab in, arrows choose).
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { COMMON_EMOJI, EMOJI_GROUPS, commonInTone, inTone, loadEmoji, searchEmoji, type EmojiEntry } from '../../lib/chat/emoji';
import { SKIN_TONES, saveSkinTone, savedSkinTone, toneModifier, type SkinTone } from '../../lib/chat/skin-tone';

/** Emoji per grid row (arrow ↑/↓ move by this much). */
const COLUMNS = 8;
/** Most emoji shown at once (search narrows, categories browse). */
const MAX_SHOWN = 96;

/** This browser's localStorage, or undefined where it is blocked (reading the property can throw). */
function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export interface EmojiPickerProps {
  onPick: (emoji: string) => void;
  onClose: () => void;
}

export default function EmojiPicker({ onPick, onClose }: EmojiPickerProps) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [group, setGroup] = useState(EMOJI_GROUPS[0]!.group);
  const [entries, setEntries] = useState<readonly EmojiEntry[]>();
  const [failed, setFailed] = useState(false);
  const [tone, setTone] = useState<SkinTone>(() => savedSkinTone(storage()));
  const chooseTone = (next: SkinTone) => {
    setTone(next);
    saveSkinTone(storage(), next);
  };
  // The full list (~44 KB gzip, a static file) loads only when someone searches or browses, not for the common row.
  const [wanted, setWanted] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    if (!wanted) return;
    let live = true;
    loadEmoji().then(
      (all) => live && setEntries(all),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [wanted]);

  useEffect(() => {
    first.current?.focus();
    const away = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) close.current();
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, []);

  const shown = entries ? searchEmoji(entries, query, group, MAX_SHOWN) : [];

  /** Arrow keys inside a grid of emoji buttons. */
  const onGridKey = (event: KeyboardEvent<HTMLDivElement>, columns: number) => {
    const buttons = [...event.currentTarget.querySelectorAll('button')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns, Home: -at, End: buttons.length - 1 - at };
    const delta = step[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, at + delta))]?.focus();
  };

  return (
    <div
      ref={root}
      className="emoji-picker"
      role="dialog"
      aria-label="Add reaction"
      data-testid="emoji-picker"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="emoji-row" role="group" aria-label="Common reactions" onKeyDown={(e) => onGridKey(e, COMMON_EMOJI.length)}>
        {COMMON_EMOJI.map((common, i) => {
          const { emoji, label } = commonInTone(common, tone);
          return (
            <button key={common.emoji} ref={i === 0 ? first : undefined} type="button" className="emoji-button" aria-label={`${emoji} ${label}`} title={label} onClick={() => onPick(emoji)}>
              {emoji}
            </button>
          );
        })}
      </div>
      <div className="emoji-search">
        <label htmlFor={`${id}-q`} className="visually-hidden">
          Search emoji
        </label>
        <input
          id={`${id}-q`}
          type="search"
          placeholder="Search emoji"
          value={query}
          onFocus={() => setWanted(true)}
          onChange={(e) => {
            setWanted(true);
            setQuery(e.target.value);
          }}
          data-testid="emoji-search"
        />
        <label htmlFor={`${id}-g`} className="visually-hidden">
          Category
        </label>
        <select
          id={`${id}-g`}
          value={group}
          onFocus={() => setWanted(true)}
          onChange={(e) => {
            setWanted(true);
            setGroup(Number(e.target.value));
          }}
          disabled={query.trim() !== ''}
        >
          {EMOJI_GROUPS.map((g) => (
            <option key={g.group} value={g.group}>
              {g.label}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="emoji-tones" data-testid="skin-tones">
        <legend className="visually-hidden">Skin tone</legend>
        {SKIN_TONES.map((option) => (
          <label key={option.tone} className="emoji-tone" title={option.label}>
            <input type="radio" className="visually-hidden" name={`${id}-tone`} aria-label={option.label} checked={tone === option.tone} onChange={() => chooseTone(option.tone)} />
            <span aria-hidden="true">{`✋${toneModifier(option.tone)}`}</span>
          </label>
        ))}
      </fieldset>
      {!wanted ? null : failed ? (
        <p className="emoji-status">The emoji list could not be loaded; use the common ones above.</p>
      ) : !entries ? (
        <p className="emoji-status" role="status">
          Loading emoji…
        </p>
      ) : shown.length === 0 ? (
        <p className="emoji-status" role="status">
          No emoji match “{query}”.
        </p>
      ) : (
        <div className="emoji-grid" role="group" aria-label={query.trim() ? `Emoji matching ${query}` : 'Emoji'} onKeyDown={(e) => onGridKey(e, COLUMNS)} data-testid="emoji-results">
          {shown.map((entry) => {
            const { emoji, label } = inTone(entry, tone);
            return (
              <button key={entry.emoji} type="button" className="emoji-button" aria-label={`${emoji} ${label}`} title={label} onClick={() => onPick(emoji)}>
                {emoji}
              </button>
            );
          })}
        </div>
      )}
      <button type="button" className="button-quiet emoji-close" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
