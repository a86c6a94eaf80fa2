// Imported first by main.tsx: the server's CSP forbids eval, so zod must not probe for it (the probe logs a CSP
// violation). It has to run before any schema module is evaluated, hence a module of its own.
import { z } from "zod";

z.config({ jitless: true });
