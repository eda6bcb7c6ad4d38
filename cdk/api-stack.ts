import { Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Trigger } from 'aws-cdk-lib/triggers';
import type { Construct } from 'constructs';
import { ROUTES } from '../lambdas/routes.ts';
import { grantAccess, ROUTE_ACCESS } from './access.ts';
import { ControlPlaneApi } from './api.ts';
import { FunctionAlarms } from './function-alarms.ts';
import { functionEnvironment } from './function-environment.ts';
import { IntentUrls } from './intent-urls.ts';
import { ProjectFunction } from './project-function.ts';
import type { ServiceSettings } from './service-settings.ts';
import type { StatefulStack } from './stateful-stack.ts';
import { type WorkflowStack, workflowTargets } from './workflow-stack.ts';

/** The data stack it reads and writes, the workflow stack it starts and signals, and the settings. */
export interface ApiStackProps extends StackProps {
  readonly data: StatefulStack;
  readonly workflow: WorkflowStack;
  readonly settings: ServiceSettings;
}

/** The logical id of a route's function: `Api` and its handler in Pascal case (`intent-register` -> ApiIntentRegister). */
export const routeFunctionId = (handler: string) =>
  `Api${handler.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`;

/** One function per API route, the REST API and its roles, and the deploy's initialiser (mode record, gates). */
export class ApiStack extends Stack {
  readonly api: ControlPlaneApi;
  readonly functions: Record<string, ProjectFunction> = {};
  readonly initialiser: ProjectFunction;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { data: d, settings: s } = props;
    this.addStackDependency(props.workflow);
    const targets = workflowTargets(this, d, s, props.workflow.schedulerRole.roleArn);
    const environment = functionEnvironment(d, s);
    const apiEnvironment = {
      ...environment,
      STATE_MACHINE_ARN: targets.stateMachineArn,
      SCHEDULE_GROUP: s.names.scheduleGroup,
      SCHEDULER_ROLE_ARN: targets.schedulerRoleArn,
    };
    for (const route of ROUTES) {
      if (this.functions[route.handler]) continue;
      const fn = new ProjectFunction(this, routeFunctionId(route.handler), {
        entry: `lambdas/${route.handler}.ts`,
        description: `${route.method} ${route.resource}`,
        environment: apiEnvironment,
        hotPath: route.access === 'intent',
      });
      const access = ROUTE_ACCESS[route.handler];
      if (!access) throw new Error(`no access declared for handler ${route.handler}`);
      grantAccess(fn, access, targets);
      this.functions[route.handler] = fn;
    }
    this.api = new ControlPlaneApi(this, 'Api', { functions: this.functions, name: s.names.restApi });
    // The intent routes' function URLs (AWS_IAM), for the intent role only: cheaper than the REST API per request.
    new IntentUrls(this, 'IntentUrls', { functions: this.functions, role: this.api.intentRole });
    // The deploy writes the mode record and the fence gates (when missing): a fresh deployment admits intents.
    this.initialiser = new ProjectFunction(this, 'InitialiseDeployment', {
      entry: 'lambdas/initialise-deployment.ts',
      description: 'deploy: create the mode record and the fence gates when missing',
      environment,
    });
    // Exactly what the fence's init does: a transactional read of the mode and gates (GetItem), conditional Puts
    // of what is missing, and one Update of every gate; on the control table only, through its key.
    this.initialiser.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [d.controlTable.tableArn],
      }),
    );
    this.initialiser.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [d.key.keyArn],
      }),
    );
    new Trigger(this, 'Initialise', {
      handler: this.initialiser,
      executeOnHandlerChange: true,
      executeBefore: [this.api],
    });
    new FunctionAlarms(this, 'RouteAlarms', {
      topic: d.alarmTopic,
      functions: [...Object.values(this.functions), this.initialiser],
    });
  }
}
