#!/usr/bin/env node
// `npx ucp …`: the operator CLI, TypeScript run through tsx (a dependency of the project), on the project's Node 22.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
