import * as z from 'zod';

// The webview's CSP has no 'unsafe-eval'. Zod probes `new Function` when an object schema is defined, and the CSP
// reports that probe as a violation even though zod catches the error. `jitless` skips the probe; it must run
// before any schema module is evaluated, so main.tsx imports this module first.
z.config({ jitless: true });
