// A sweep worker thread that loads the TypeScript sources through tsx, then serves
// cells: the entry used where no bundle of the sources can be had (worker-bundle.ts).
// (Under `node --import tsx` the thread has tsx already; registering again is harmless.)
import { register } from 'tsx/esm/api';

register();
await import('./sweep-worker-main.ts');
