/** The screen shown when amplify_outputs.json is missing or unusable: what is wrong and what to run. */
import type { ConfigError } from '../../lib/config';

/** Renders text with `backticks` as <code>, so commands stand out. */
function withCode(text: string) {
  return text.split('`').map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part));
}

/** An alert card with the problem, the fix and a retry. */
export function ConfigErrorScreen({ error }: { error: ConfigError }) {
  return (
    <section className="card config-error" role="alert" aria-labelledby="config-error-title" data-testid="config-error">
      <h2 id="config-error-title">The chat is not set up yet</h2>
      <p>{withCode(error.message)}</p>
      <p>{withCode(error.hint)}</p>
      <button type="button" className="button-primary" onClick={() => window.location.reload()}>
        Try again
      </button>
    </section>
  );
}
