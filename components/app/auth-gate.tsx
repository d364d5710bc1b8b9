'use client';
/**
 * Amplify UI's Authenticator: sign up (email, display name, password), confirmation and sign in.
 * Renders `children` only for a signed-in user.
 */
import { Authenticator } from '@aws-amplify/ui-react';
import { useMemo, type ReactNode } from 'react';
import type { AppConfig } from '../../lib/config';
import { LIMITS } from '../../lib/protocol';
import { AppHeader } from './app-header';
import { authServices } from './auth-services';

/** What the signed-in part of the app receives. */
export interface Session {
  readonly userId: string;
  /** The sign-in name (email), shown until the display name is known. */
  readonly loginId: string;
  readonly signOut: () => void;
}

const formFields = {
  signUp: {
    email: { order: 1 },
    preferred_username: {
      order: 2,
      label: 'Display name',
      placeholder: 'How others see you in the chat',
      isRequired: true,
      maxLength: LIMITS.displayNameMaxChars,
    },
    password: { order: 3 },
    confirm_password: { order: 4 },
  },
};

const components = {
  Header: () => (
    <div className="auth-intro">
      <AppHeader />
      <p>Sign in or create an account to join the conversation.</p>
    </div>
  ),
};

/** Shows the sign-in / sign-up flow, or `children(session)` once signed in. */
export function AuthGate({ config, children }: { config: AppConfig; children: (session: Session) => ReactNode }) {
  const services = useMemo(() => authServices(config), [config]);

  return (
    <Authenticator loginMechanisms={['email']} signUpAttributes={['preferred_username']} formFields={formFields} components={components} services={services}>
      {({ user, signOut }) =>
        user && signOut ? <>{children({ userId: user.userId, loginId: user.signInDetails?.loginId ?? user.username, signOut })}</> : <></>
      }
    </Authenticator>
  );
}
