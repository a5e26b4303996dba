import { HostToView, PROTOCOL_VERSION, type ViewToHost } from '../../common/protocol/panel';
import { connectChannel } from './channel';

/** The side panel's channel to its host. Every message is validated on arrival. */
export function connect<S>(onMessage: (m: HostToView) => void) {
  return connectChannel<HostToView, ViewToHost, S>(HostToView, { type: 'ready', protocolVersion: PROTOCOL_VERSION }, onMessage);
}
