// A module worker written in TypeScript, served through the `.js` → `.ts` middleware.
const scope = self as unknown as { onmessage: ((e: MessageEvent<number>) => void) | null; postMessage(v: unknown): void };
const double = (n: number): number => n * 2;
scope.onmessage = (event) => scope.postMessage(double(event.data));
