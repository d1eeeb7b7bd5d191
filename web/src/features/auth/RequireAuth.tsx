import type { ReactNode } from "react";
import { Link, useLocation } from "react-router";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useSession } from "@/hooks/useSession";

/** The login URL that comes back to the current page afterwards. */
export function useLoginHref(): string {
  const location = useLocation();
  return `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
}

/**
 * Renders `children` for a logged-in user; otherwise a prompt to log in or sign up that
 * comes back here afterwards.
 */
export function RequireAuth({ children, title = "Log in to see this page" }: { children: ReactNode; title?: string }) {
  const { status } = useSession();
  const loginHref = useLoginHref();
  const location = useLocation();
  if (status === "loading") return <Skeleton className="h-40 w-full" aria-label="Loading" />;
  if (status === "anonymous") {
    const next = encodeURIComponent(location.pathname + location.search);
    return (
      <Card className="mx-auto max-w-md">
        <CardHeader>
          <CardTitle>{title}</CardTitle>
          <CardDescription>You need an account for this. New accounts start with free credits.</CardDescription>
        </CardHeader>
        <CardContent className="flex gap-2">
          <Button asChild>
            <Link to={loginHref}>Log in</Link>
          </Button>
          <Button asChild variant="outline">
            <Link to={`/signup?next=${next}`}>Sign up</Link>
          </Button>
        </CardContent>
      </Card>
    );
  }
  return <>{children}</>;
}
