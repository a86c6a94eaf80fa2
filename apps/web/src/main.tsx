// Entry point: theme first (no flash of the wrong one), then the query cache, the sign-out on 401, and the app.
import "./lib/zod-config";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/app";
import { createQueryClient } from "./app/query-client";
import { forgetSession } from "./features/auth/queries";
import { setUnauthorizedHandler } from "./lib/api";
import { initTheme } from "./lib/theme";
import "./styles.css";

initTheme();

const queryClient = createQueryClient();
// Any 401: the session is gone, so RequireSession sends the operator to the login page.
setUnauthorizedHandler(() => forgetSession(queryClient));

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");
createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
