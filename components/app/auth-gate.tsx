'use client';
/**
 * Amplify UI's Authenticator: sign up (email, display name, password), confirmation and sign in.
 * Renders `children` only for a signed-in user.
 */
import { Authenticator, Heading, useAuthenticator } from '@aws-amplify/ui-react';
import { useMemo, type ReactNode } from 'react';
import type { AppConfig } from '../../lib/config';
import { LIMITS } from '../../lib/protocol-constants';
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

// Amplify's confirm and reset steps start at <h4>/<h3>; under the page's <h1> the next level is <h2> (axe heading-order).

/** "We Emailed You" (as Amplify says it), as an <h2>. */
function ConfirmSignUpHeader() {
  const { codeDeliveryDetails } = useAuthenticator((context) => [context.codeDeliveryDetails]);
  const medium = codeDeliveryDetails?.DeliveryMedium;
  return (
    <Heading level={2} className="auth-step-heading">
      {medium === 'EMAIL' ? 'We Emailed You' : medium === 'SMS' ? 'We Texted You' : 'We Sent A Code'}
    </Heading>
  );
}

/** "Reset your password", as an <h2>. */
function ResetHeader() {
  return (
    <Heading level={2} className="auth-step-heading">
      Reset your password
    </Heading>
  );
}

const components = {
  Header: () => (
    <div className="auth-intro">
      <AppHeader />
      <p>Sign in or create an account to join the conversation.</p>
    </div>
  ),
  ConfirmSignUp: { Header: ConfirmSignUpHeader },
  ForgotPassword: { Header: ResetHeader },
  ConfirmResetPassword: { Header: ResetHeader },
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
