/** Shown instead of a broken room when the backend speaks a newer protocol than this open tab (CLIENT_OUTDATED). */

/** The words and the one action that helps: loading the new build. */
export const UPDATE_PROMPT = 'A new version is available — reload';

/** A banner with a Reload button. */
export function UpdatePrompt({ onReload = () => window.location.reload() }: { onReload?: () => void }) {
  return (
    <div className="error-banner" role="alert" data-testid="update-prompt">
      <p>{UPDATE_PROMPT}</p>
      <button type="button" onClick={onReload}>
        Reload
      </button>
    </div>
  );
}
