// Entry file of the escrow contract: exactly the exports the CosmWasm VM looks for (interface_version_8, the
// allocator, and the entry points). Each entry point takes Region pointers to JSON and
// returns a Region pointer to a JSON ContractResult.
import { respond, respondQuery } from '../../common/assembly/exports';
import { readRegionString } from '../../common/assembly/region';
import * as contract from './contract';
import * as queries from './queries';

export { allocate, deallocate, interface_version_8 } from '../../common/assembly/exports';

export function instantiate(env: u32, info: u32, msg: u32): u32 {
  return respond(contract.instantiate(readRegionString(env), readRegionString(info), readRegionString(msg)));
}

export function execute(env: u32, info: u32, msg: u32): u32 {
  return respond(contract.execute(readRegionString(env), readRegionString(info), readRegionString(msg)));
}

export function query(env: u32, msg: u32): u32 {
  return respondQuery(queries.query(readRegionString(env), readRegionString(msg)));
}

export function migrate(env: u32, msg: u32): u32 {
  return respond(contract.migrate(readRegionString(env), readRegionString(msg)));
}
