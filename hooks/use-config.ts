/** Loads amplify_outputs.json once per page and configures Amplify before anything signs in. */
import { useEffect, useState } from 'react';
import { ConfigError, configureAmplify, loadConfig, type AppConfig } from '../lib/config';

/** Where the configuration is: still loading, usable, or broken with a reason and a fix. */
export type ConfigState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly config: AppConfig }
  | { readonly status: 'error'; readonly error: ConfigError };

// Module-level so React StrictMode's double effects and remounts share one fetch and one configure().
let loading: Promise<AppConfig> | undefined;

function loadOnce(): Promise<AppConfig> {
  loading ??= loadConfig().then((config) => {
    try {
      configureAmplify(config);
    } catch (error) {
      throw new ConfigError(`amplify_outputs.json was rejected by Amplify: ${(error as Error).message}`);
    }
    return config;
  });
  // A failed load may be fixed by starting the stack; let the next mount try again.
  loading.catch(() => (loading = undefined));
  return loading;
}

/** The run-time configuration state. */
export function useConfig(): ConfigState {
  const [state, setState] = useState<ConfigState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    loadOnce().then(
      (config) => live && setState({ status: 'ready', config }),
      (error: unknown) =>
        live && setState({ status: 'error', error: error instanceof ConfigError ? error : new ConfigError(String((error as Error)?.message ?? error)) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
