import type { NamedContractSpec } from '../contract/contract-spec.ts';
import type { ServiceSpec } from '../deploy-spec.ts';
import { StepFailure, type WorkflowState } from '../workflow-state.ts';

/** The component the workflow's iterator is at (config.components[cursor.index]). */
function current(s: WorkflowState, kind: 'contract' | 'service') {
  const c = s.config.components[s.cursor?.index ?? -1];
  if (!c || c.kind !== kind)
    throw new StepFailure(
      'NoSuchComponent',
      `the workflow is not at a ${kind} (cursor ${JSON.stringify(s.cursor)})`,
    );
  return c.name;
}

/** The contract the workflow is migrating now. */
export function currentContract(s: WorkflowState): NamedContractSpec {
  const name = current(s, 'contract');
  const spec = s.config.contracts.find((c) => c.name === name);
  if (!spec) throw new StepFailure('NoSuchComponent', `no contract named ${name} in the upgrade`);
  return spec;
}

/** The service the workflow is deploying now. */
export function currentService(s: WorkflowState): ServiceSpec {
  const name = current(s, 'service');
  const spec = s.config.services.find((x) => x.name === name);
  if (!spec) throw new StepFailure('NoSuchComponent', `no service named ${name} in the upgrade`);
  return spec;
}
