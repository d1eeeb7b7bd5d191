import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { BrowserRouter, Route, Routes } from "react-router";
import { AppShell } from "@/components/layout/AppShell";
import { SessionProvider } from "@/hooks/useSession";
import { SocketProvider } from "@/hooks/useSocket";
import type { ExchangeSocket } from "@/lib/ws";
import { MarketsPage } from "@/pages/MarketsPage";
import { TickerPage } from "@/pages/TickerPage";
import { AccountPage } from "@/pages/AccountPage";
import { ActivityPage } from "@/pages/ActivityPage";
import { OrchestratorPage } from "@/pages/OrchestratorPage";
import { LoginPage } from "@/pages/LoginPage";
import { SignupPage } from "@/pages/SignupPage";
import { NotFoundPage } from "@/pages/NotFoundPage";

/** The routes, inside the shell. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppShell />}>
        <Route index element={<MarketsPage />} />
        <Route path="ticker/:symbol" element={<TickerPage />} />
        <Route path="account" element={<AccountPage />} />
        <Route path="activity" element={<ActivityPage />} />
        <Route path="orchestrator" element={<OrchestratorPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="signup" element={<SignupPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** The app: query cache, the shared socket, the session, and the router. */
export function App({ queryClient, socket }: { queryClient: QueryClient; socket: ExchangeSocket }) {
  return (
    <QueryClientProvider client={queryClient}>
      <SocketProvider socket={socket}>
        <SessionProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </SessionProvider>
      </SocketProvider>
    </QueryClientProvider>
  );
}
