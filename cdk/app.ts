import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app.ts';

/** `npx cdk synth` / `npx cdk deploy`: the control plane on AWS. Settings come from context (see README). */
buildApp(new App());
