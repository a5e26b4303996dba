import { REPORT_PROTOCOL_VERSION, ReportHostToView, type ReportViewToHost } from '../../common/protocol/report';
import { connectChannel, type Channel } from '../shared/channel';

/** The report view's typed channel to its host: every host message is validated on arrival, then `ready` is sent. */
export function connectReport<S>(onMessage: (m: ReportHostToView) => void): Channel<ReportViewToHost, S> {
  return connectChannel<ReportHostToView, ReportViewToHost, S>(ReportHostToView, { type: 'ready', protocolVersion: REPORT_PROTOCOL_VERSION }, onMessage);
}
