// A sweep worker thread: load the TypeScript sources through tsx, then serve cells.
// (Under `node --import tsx` the thread has tsx already; registering again is harmless.)
import { register } from 'tsx/esm/api';

register();
await import('./sweep-worker-main.ts');
