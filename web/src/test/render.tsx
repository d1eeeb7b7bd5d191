/** Renders components with the app's providers around them: a fresh query client and a fake socket. */
import type { ReactElement, ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, renderHook } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { SocketProvider } from "@/hooks/useSocket";
import { SessionProvider } from "@/hooks/useSession";
import { fakeExchangeSocket } from "./fakeSocket";

/** A query client for tests: no retries, no garbage collection surprises. */
export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } } });
}

/** Everything a test needs to drive a rendered component. */
export function providers(route = "/") {
  const queryClient = testQueryClient();
  const fake = fakeExchangeSocket();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <SocketProvider socket={fake.socket}>
        <SessionProvider>
          <MemoryRouter initialEntries={[route]}>{children}</MemoryRouter>
        </SessionProvider>
      </SocketProvider>
    </QueryClientProvider>
  );
  return { queryClient, ...fake, wrapper };
}

/** Renders `ui` inside the providers. */
export function renderWithProviders(ui: ReactElement, route = "/") {
  const setup = providers(route);
  return { ...setup, ...render(ui, { wrapper: setup.wrapper }) };
}

/** Renders a hook inside the providers. */
export function renderHookWithProviders<T>(hook: () => T, route = "/") {
  const setup = providers(route);
  return { ...setup, ...renderHook(hook, { wrapper: setup.wrapper }) };
}
