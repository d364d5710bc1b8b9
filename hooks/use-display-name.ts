/** The signed-in user's display name, read from the ID token's `preferred_username` claim. */
import { fetchAuthSession } from 'aws-amplify/auth';
import { useEffect, useState } from 'react';

/** Returns `fallback` (e.g. the email) until the token is read, or if it has no display name. */
export function useDisplayName(fallback: string): string {
  const [name, setName] = useState<string>();
  useEffect(() => {
    let live = true;
    fetchAuthSession()
      .then((session) => {
        const claim = session.tokens?.idToken?.payload.preferred_username;
        if (live && typeof claim === 'string' && claim.trim()) setName(claim.trim());
      })
      .catch(() => undefined); // The fallback is good enough; the chat reports real auth problems.
    return () => {
      live = false;
    };
  }, []);
  return name ?? fallback;
}
