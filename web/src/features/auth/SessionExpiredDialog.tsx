import { useNavigate, useLocation } from "react-router";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { useSession } from "@/hooks/useSession";
import { AuthForm } from "./AuthForm";

/**
 * Shown over the current page when the session expired: logging in again closes it and the
 * page carries on with everything the user typed still in place.
 */
export function SessionExpiredDialog() {
  const { expired, session, login, dismissExpired } = useSession();
  const navigate = useNavigate();
  const location = useLocation();

  const giveUp = () => {
    dismissExpired();
    const next = location.pathname + location.search;
    void navigate(`/login?next=${encodeURIComponent(next)}`);
  };

  return (
    <Dialog open={expired} onOpenChange={(open) => (open ? undefined : giveUp())}>
      <DialogContent hideClose>
        <DialogHeader>
          <DialogTitle>Your session expired</DialogTitle>
          <DialogDescription>Log in again to carry on. Nothing you typed on this page is lost.</DialogDescription>
        </DialogHeader>
        <AuthForm mode="login" idPrefix="relogin" initialEmail={session?.email ?? ""} onSubmit={login} onDone={() => undefined} />
        <Button variant="ghost" onClick={giveUp}>
          Not now
        </Button>
      </DialogContent>
    </Dialog>
  );
}
