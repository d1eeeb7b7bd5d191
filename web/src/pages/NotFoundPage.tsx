import { Link } from "react-router";
import { Button } from "@/components/ui/button";

/** Any path the app does not know. */
export function NotFoundPage() {
  return (
    <div className="mx-auto mt-10 max-w-md text-center">
      <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-2 text-muted-foreground">There is nothing at this address.</p>
      <Button asChild className="mt-6">
        <Link to="/">Go to Markets</Link>
      </Button>
    </div>
  );
}
