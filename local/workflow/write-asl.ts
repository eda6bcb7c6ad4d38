import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { WORKFLOW } from '../../shared/upgrade/workflow/definition.ts';
import { generateAsl } from '../../shared/upgrade/workflow/generate-asl.ts';
import { ASL_FILE } from './asl-file.ts';

/** `npm run asl`: writes statemachines/upgrade.asl.json from the workflow table, formatted as the repository's JSON. */
writeFileSync(ASL_FILE, `${JSON.stringify(generateAsl(WORKFLOW), null, 2)}\n`);
execFileSync('biome', ['format', '--write', ASL_FILE], { stdio: 'inherit' });
console.log(`wrote ${ASL_FILE}`);
