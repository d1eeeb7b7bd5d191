import { useState } from "react";
import { Link, NavLink, Outlet, useNavigate } from "react-router";
import { LogOut, Menu, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useSession } from "@/hooks/useSession";
import { cn } from "@/lib/utils";
import { ConnectionIndicator } from "./ConnectionIndicator";
import { ThemeToggle } from "./ThemeToggle";
import { SessionExpiredDialog } from "@/features/auth/SessionExpiredDialog";

/** The navigation links; Orchestrator only for orchestrator accounts. */
function navItems(kind: string | undefined): { to: string; label: string }[] {
  const items = [
    { to: "/", label: "Markets" },
    { to: "/activity", label: "Activity" },
    { to: "/account", label: "Account" },
  ];
  if (kind === "orchestrator") items.push({ to: "/orchestrator", label: "Orchestrator" });
  return items;
}

/** The page frame: header with navigation, connection state, theme and session controls. */
export function AppShell() {
  const { session, status, logout } = useSession();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = useState(false);
  const items = navItems(session?.kind);

  const onLogout = async () => {
    setMenuOpen(false);
    try {
      await logout();
    } finally {
      void navigate("/");
    }
  };

  const linkClass = ({ isActive }: { isActive: boolean }) =>
    cn(
      "rounded-md px-3 py-2 text-sm font-medium transition-colors hover:bg-accent hover:text-accent-foreground",
      isActive ? "bg-accent text-accent-foreground" : "text-muted-foreground",
    );

  const sessionControls =
    status === "authenticated" && session ? (
      <div className="flex flex-col gap-2 md:flex-row md:items-center">
        <span className="truncate text-sm text-muted-foreground" title={session.email}>
          {session.email}
        </span>
        <Button variant="outline" size="sm" onClick={() => void onLogout()}>
          <LogOut aria-hidden="true" />
          Log out
        </Button>
      </div>
    ) : status === "anonymous" ? (
      <div className="flex gap-2">
        <Button asChild variant="ghost" size="sm">
          <Link to="/login" onClick={() => setMenuOpen(false)}>
            Log in
          </Link>
        </Button>
        <Button asChild size="sm">
          <Link to="/signup" onClick={() => setMenuOpen(false)}>
            Sign up
          </Link>
        </Button>
      </div>
    ) : null;

  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-background focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur supports-[backdrop-filter]:bg-background/80">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-3 sm:px-4">
          <Link to="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-primary text-xs font-bold text-primary-foreground">
              EX
            </span>
            <span className="hidden sm:inline">Exchange</span>
          </Link>
          <nav aria-label="Main" className="hidden items-center gap-1 md:flex">
            {items.map((item) => (
              <NavLink key={item.to} to={item.to} end={item.to === "/"} className={linkClass}>
                {item.label}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-2">
            <ConnectionIndicator />
            <ThemeToggle />
            <div className="hidden md:block">{sessionControls}</div>
            <Button
              variant="ghost"
              size="icon"
              className="md:hidden"
              aria-label={menuOpen ? "Close menu" : "Open menu"}
              aria-expanded={menuOpen}
              aria-controls="mobile-menu"
              onClick={() => setMenuOpen((open) => !open)}
            >
              {menuOpen ? <X /> : <Menu />}
            </Button>
          </div>
        </div>
        {menuOpen ? (
          <div id="mobile-menu" className="border-t px-3 py-3 md:hidden">
            <nav aria-label="Main" className="mb-3 flex flex-col gap-1">
              {items.map((item) => (
                <NavLink key={item.to} to={item.to} end={item.to === "/"} className={linkClass} onClick={() => setMenuOpen(false)}>
                  {item.label}
                </NavLink>
              ))}
            </nav>
            {sessionControls}
          </div>
        ) : null}
      </header>
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-3 py-4 sm:px-4 sm:py-6">
        <Outlet />
      </main>
      <SessionExpiredDialog />
    </div>
  );
}
