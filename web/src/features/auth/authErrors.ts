import { ApiError } from "@/lib/api";

/** An auth form's errors: per field, plus one for the whole form. */
export interface AuthErrors {
  email?: string;
  password?: string;
  form?: string;
}

/** The minimum and maximum password length the server accepts. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Checks the fields before sending (the server checks again). */
export function validateCredentials(email: string, password: string): AuthErrors {
  const errors: AuthErrors = {};
  const trimmed = email.trim();
  if (!trimmed) errors.email = "Enter your email address.";
  else if (!/^[^\s@]+@[^\s@]+$/.test(trimmed)) errors.email = "Enter a valid email address, like ann@example.com.";
  if (!password) errors.password = "Enter your password.";
  else if (password.length < PASSWORD_MIN) errors.password = `Passwords have at least ${PASSWORD_MIN} characters.`;
  else if (password.length > PASSWORD_MAX) errors.password = `Passwords have at most ${PASSWORD_MAX} characters.`;
  return errors;
}

/** Puts a server error next to the field it concerns. */
export function authErrorsOf(error: unknown): AuthErrors {
  if (!(error instanceof ApiError)) return { form: "Something went wrong. Please try again." };
  switch (error.code) {
    case "invalid_email":
    case "email_taken":
      return { email: error.message };
    case "invalid_password":
      return { password: error.message };
    case "invalid_credentials":
      return { form: "That email and password do not match an account." };
    case "rate_limited":
      return {
        form: `Too many attempts. Try again${error.retryAfterS ? ` in ${error.retryAfterS} s` : " shortly"}.`,
      };
    default:
      return { form: error.message };
  }
}
