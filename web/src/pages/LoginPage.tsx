import { AuthPage } from "./AuthPage";

/** The log in page. */
export function LoginPage() {
  return <AuthPage mode="login" />;
}
