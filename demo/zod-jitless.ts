// The AI SDK validates with zod, whose object schemas probe `new Function('')` when they are
// created (at import time) to decide whether to compile fast parsers. Under the demo page's CSP
// (no 'unsafe-eval') the probe is blocked and reported as a violation; jitless zod never probes.
// Imported before 'ai' so the setting is in place when the SDK's schemas are built.
import { config } from 'zod/v4/core';

config({ jitless: true });
