#!/usr/bin/env node
// The `sightline` command: loads the TypeScript CLI through tsx, so it works right after npm install.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
