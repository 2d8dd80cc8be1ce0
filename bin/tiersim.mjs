#!/usr/bin/env node
// Entry point: load the TypeScript sources through tsx, then run the command line.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../scripts/cli.ts');
process.exitCode = await main(process.argv.slice(2));
