/**
 * The simulated node's relayer methods (JSON-RPC, beside CometBFT's): they stand in for a relayer's transactions on
 * the chain's one IBC channel. Params `{port, channel, sequence}` (our end of the channel); proofs are not modelled.
 */

/** MsgRecvPacket on the counterparty then MsgAcknowledgement here; answers `{relayed: true}`. */
export const RELAY_PACKET_METHOD = 'simulated_relay_packet';
/** MsgTimeout here (the packet's timeout has passed, nothing received); answers `{timed_out: true}`. */
export const TIMEOUT_PACKET_METHOD = 'simulated_timeout_packet';

/** The error code of a relay refused because the packet's timeout has passed (time it out instead). */
export const PACKET_TIMED_OUT_CODE = -32001;
/** The error code of any other refusal (no such commitment, not timed out yet); the message says why. */
export const PACKET_REFUSED_CODE = -32000;
