// A replay worker thread: load the TypeScript sources through tsx, then replay its share.
// (Under `node --import tsx` the thread has tsx already; registering again is harmless.)
import { register } from 'tsx/esm/api';

register();
await import('./replay-worker-main.ts');
