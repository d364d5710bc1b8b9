/**
 * The reaction picker's skin tone: the five Fitzpatrick modifiers of Unicode (plus the default yellow), chosen
 * once and kept in localStorage so every picker and every tab of this browser starts with it.
 */

/** 0 = default (no modifier), 1–5 = light … dark. */
export type SkinTone = 0 | 1 | 2 | 3 | 4 | 5;

/** localStorage key of the chosen tone. */
export const SKIN_TONE_KEY = 'chatroom-skin-tone';

/** The tones in picker order, with their accessible names (Unicode's words). */
export const SKIN_TONES: readonly { readonly tone: SkinTone; readonly label: string }[] = [
  { tone: 0, label: 'Default skin tone' },
  { tone: 1, label: 'Light skin tone' },
  { tone: 2, label: 'Medium-light skin tone' },
  { tone: 3, label: 'Medium skin tone' },
  { tone: 4, label: 'Medium-dark skin tone' },
  { tone: 5, label: 'Dark skin tone' },
];

/** The modifier character of a tone (U+1F3FB … U+1F3FF); '' for the default. */
export function toneModifier(tone: SkinTone): string {
  return tone === 0 ? '' : String.fromCodePoint(0x1f3fa + tone);
}

/** The tone whose modifier `char` is, or undefined for any other character. */
export function toneOf(char: string): SkinTone | undefined {
  const code = char.codePointAt(0) ?? 0;
  return char.length === 2 && code >= 0x1f3fb && code <= 0x1f3ff ? ((code - 0x1f3fa) as SkinTone) : undefined;
}

/** The saved tone (default when none, unreadable, or storage is blocked). */
export function savedSkinTone(storage: Pick<Storage, 'getItem'> | undefined): SkinTone {
  try {
    const value = Number(storage?.getItem(SKIN_TONE_KEY));
    return Number.isInteger(value) && value >= 0 && value <= 5 ? (value as SkinTone) : 0;
  } catch {
    return 0;
  }
}

/** Saves the tone (best effort: a browser that blocks storage still gets it for this picker). */
export function saveSkinTone(storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined, tone: SkinTone): void {
  try {
    if (tone === 0) storage?.removeItem(SKIN_TONE_KEY);
    else storage?.setItem(SKIN_TONE_KEY, String(tone));
  } catch {
    // Private mode or a full quota: the choice lasts as long as the picker.
  }
}
