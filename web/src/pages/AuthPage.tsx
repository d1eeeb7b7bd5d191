import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useSession } from "@/hooks/useSession";
import { AuthForm } from "@/features/auth/AuthForm";

/** Only same-site paths are followed after login (never another origin). */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/** The log in or sign up page; afterwards it goes to `?next=` (or the markets). */
export function AuthPage({ mode }: { mode: "login" | "signup" }) {
  const { status, login, signup } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const nextQuery = params.get("next") ? `?next=${encodeURIComponent(next)}` : "";
  if (status === "authenticated") return <Navigate to={next} replace />;
  const login_ = mode === "login";
  return (
    <div className="mx-auto mt-4 max-w-sm sm:mt-10">
      <Card>
        <CardHeader>
          <CardTitle as="h1" className="text-xl">
            {login_ ? "Log in" : "Create your account"}
          </CardTitle>
          <CardDescription>
            {login_ ? "Welcome back. Trade and watch your positions live." : "New accounts start with free credits to trade with."}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <AuthForm
            mode={mode}
            idPrefix={mode}
            onSubmit={login_ ? login : signup}
            onDone={() => void navigate(next, { replace: true })}
          />
          <p className="text-center text-sm text-muted-foreground">
            {login_ ? "No account yet? " : "Already have an account? "}
            <Link className="font-medium text-foreground underline underline-offset-4" to={(login_ ? "/signup" : "/login") + nextQuery}>
              {login_ ? "Sign up" : "Log in"}
            </Link>
          </p>
        </CardContent>
      </Card>
    </div>
  );
}
