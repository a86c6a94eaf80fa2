// Session queries and the sign-in/sign-out mutations; the CSRF token of the session is handed to the API client.
import { type LoginBody, type PasswordChangeBody, type SessionInfo, sessionInfoSchema } from "@k3s-ha/shared";
import { type QueryClient, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError, apiFetch, setCsrfToken } from "../../lib/api";

async function fetchSession(signal: AbortSignal): Promise<SessionInfo | null> {
  try {
    const session = await apiFetch("/api/auth/session", {
      signal,
      expect401: true,
      schema: sessionInfoSchema,
    });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export const sessionQueries = {
  all: () => ["session"] as const,
  /** `null` when nobody is signed in. */
  current: () =>
    queryOptions({
      queryKey: [...sessionQueries.all(), "current"] as const,
      queryFn: ({ signal }) => fetchSession(signal),
      staleTime: Number.POSITIVE_INFINITY,
    }),
};

const isSessionQuery = (query: { queryKey: readonly unknown[] }) =>
  query.queryKey[0] === sessionQueries.all()[0];

/**
 * Signed out, by the operator or by a 401: no session (RequireSession sends to the login page) and nothing cached
 * from it. The session is set first so observers switch before the other queries go.
 */
export function forgetSession(queryClient: QueryClient): void {
  setCsrfToken(null);
  queryClient.setQueryData(sessionQueries.current().queryKey, null);
  queryClient.removeQueries({ predicate: (query) => !isSessionQuery(query) });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) =>
      apiFetch("/api/auth/login", { method: "POST", body, expect401: true, schema: sessionInfoSchema }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      // Whatever was cached belonged to the previous session.
      queryClient.removeQueries({ predicate: (query) => !isSessionQuery(query) });
      queryClient.setQueryData(sessionQueries.current().queryKey, session);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch("/api/auth/logout", { method: "POST", expect401: true }),
    // Signed out here even if the server could not be told.
    onSettled: () => forgetSession(queryClient),
  });
}

/** Changes the signed-in user's password; the server ends every other session and starts a new one for this page. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PasswordChangeBody) =>
      apiFetch("/api/auth/password", { method: "POST", body, schema: sessionInfoSchema }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      const previous = queryClient.getQueryData(sessionQueries.current().queryKey);
      queryClient.setQueryData(sessionQueries.current().queryKey, { ...previous, ...session });
    },
  });
}
