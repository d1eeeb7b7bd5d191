import { useState, type FormEvent } from "react";
import { Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { FormField } from "@/components/ui/form-field";
import { Alert } from "@/components/ui/alert";
import type { Credentials } from "@/lib/types";
import { authErrorsOf, validateCredentials, type AuthErrors } from "./authErrors";

/**
 * The email and password form shared by log in, sign up and the session-expired dialog.
 * Checks the fields, calls `onSubmit`, and shows server errors next to their field.
 */
export function AuthForm({
  mode,
  idPrefix,
  initialEmail = "",
  onSubmit,
  onDone,
}: {
  mode: "login" | "signup";
  idPrefix: string;
  initialEmail?: string;
  onSubmit: (credentials: Credentials) => Promise<unknown>;
  onDone: () => void;
}) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<AuthErrors>({});
  const [pending, setPending] = useState(false);
  const submitLabel = mode === "login" ? "Log in" : "Sign up";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateCredentials(email, password);
    setErrors(found);
    if (found.email || found.password) return;
    setPending(true);
    try {
      await onSubmit({ email: email.trim(), password });
      onDone();
    } catch (error) {
      setErrors(authErrorsOf(error));
    } finally {
      setPending(false);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4">
      <FormField id={`${idPrefix}-email`} label="Email" error={errors.email}>
        {(control) => (
          <Input
            {...control}
            type="email"
            autoComplete="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            required
          />
        )}
      </FormField>
      <FormField
        id={`${idPrefix}-password`}
        label="Password"
        error={errors.password}
        hint={mode === "signup" ? "8 to 128 characters." : undefined}
      >
        {(control) => (
          <Input
            {...control}
            type="password"
            autoComplete={mode === "login" ? "current-password" : "new-password"}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
          />
        )}
      </FormField>
      {errors.form ? (
        <Alert variant="destructive" role="alert">
          {errors.form}
        </Alert>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? <Loader2 className="animate-spin" aria-hidden="true" /> : null}
        {submitLabel}
      </Button>
    </form>
  );
}
