// The query cache: live topics are kept fresh by the websocket, so nothing refetches on a timer or on focus.
import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "../lib/api";

function shouldRetry(failureCount: number, error: unknown): boolean {
  // A 4xx will not fix itself; network errors and 5xx get two more tries.
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
