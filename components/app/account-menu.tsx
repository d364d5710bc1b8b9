'use client';
/** Who is signed in, and the visible "Sign out" button. */
import { useDisplayName } from '../../hooks/use-display-name';

/** `fallbackName` (usually the email) shows until the token's display name is read. */
export function AccountMenu({ fallbackName, onSignOut }: { fallbackName: string; onSignOut: () => void }) {
  const name = useDisplayName(fallbackName);
  return (
    <div className="account">
      <span className="account-name">
        <span className="visually-hidden">Signed in as </span>
        {name}
      </span>
      <button type="button" className="button-quiet" data-testid="sign-out" onClick={onSignOut}>
        Sign out
      </button>
    </div>
  );
}
