/** Shows the latest error in plain words (the server's own sentence from typed error frames). */

/** Renders nothing without a message; the dismiss button returns focus to the page flow. */
export function ErrorBanner({ message, onDismiss }: { message: string | undefined; onDismiss: () => void }) {
  if (!message) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <p>{message}</p>
      <button type="button" className="button-quiet" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
