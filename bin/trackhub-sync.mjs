#!/usr/bin/env node
// Entry point: the package ships TypeScript sources, run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./trackhub-sync.ts');
