import type { CallSink } from '../ledger/types';
import { toCallRecord, type CallMeta } from './callRecord';
import type { ModelClient } from './types';

/**
 * A client that reports every call it makes, success or failure, to the ledger with the given phase. Used where a
 * caller makes calls of its own outside the auction and the agent (the capability probe), so none goes unpaid in
 * the report. The wrapped client's behaviour (errors, cancellation) is unchanged.
 */
export function recordingClient(client: ModelClient, sink: CallSink, meta: () => Omit<CallMeta, 'time'>): ModelClient {
  const record = (outcome: Parameters<typeof toCallRecord>[2]): void => sink.record(toCallRecord(client.spec, { ...meta(), time: new Date().toISOString() }, outcome));
  const recorded: ModelClient = {
    spec: client.spec,
    async chat(request) {
      try {
        const response = await client.chat(request);
        record({ response });
        return response;
      } catch (error) {
        record({ error });
        throw error;
      }
    },
  };
  const embed = client.embed?.bind(client);
  if (embed) {
    recorded.embed = async (texts, signal) => {
      try {
        const response = await embed(texts, signal);
        record({ response });
        return response;
      } catch (error) {
        record({ error });
        throw error;
      }
    };
  }
  return recorded;
}
