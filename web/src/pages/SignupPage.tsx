import { AuthPage } from "./AuthPage";

/** The sign up page. */
export function SignupPage() {
  return <AuthPage mode="signup" />;
}
