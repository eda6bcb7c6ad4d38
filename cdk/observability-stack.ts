import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ControlPlaneAlarms } from './alarms.ts';
import type { InstanceNames } from './instance.ts';
import { IntentTraceSampling } from './intent-trace-sampling.ts';
import type { StatefulStack } from './stateful-stack.ts';
import type { WorkflowStack } from './workflow-stack.ts';

/** The alarm topic (data stack), the state machine it watches, and the instance names. */
export interface ObservabilityStackProps extends StackProps {
  readonly data: StatefulStack;
  readonly workflow: WorkflowStack;
  readonly names: InstanceNames;
}

/**
 * The drain and upgrade alarms and the dashboard of one instance (function errors are alarmed where they live), and
 * the intent routes' trace sampling.
 */
export class ObservabilityStack extends Stack {
  readonly alarms: ControlPlaneAlarms;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    this.alarms = new ControlPlaneAlarms(this, 'Alarms', {
      topic: props.data.alarmTopic,
      stateMachine: props.workflow.stateMachine,
      names: props.names,
    });
    new IntentTraceSampling(this, 'IntentTraceSampling', props.names);
  }
}
