import type { MethodOf, ParamsOf, ResultOf } from '../../common/protocol/channel';
import type { PanelCommand, PanelProtocol } from '../../common/protocol/panel';

/** Sends one of the panel's commands (fire and forget). */
export type Post = (command: PanelCommand) => void;

/**
 * Sends one of the panel's requests. Resolves with the host's answer, or with undefined when it failed: the panel
 * then shows the host's message (see main.tsx), so a button's handler needs no error handling of its own.
 */
export type Ask = <M extends MethodOf<PanelProtocol>>(method: M, params: ParamsOf<PanelProtocol, M>) => Promise<ResultOf<PanelProtocol, M> | undefined>;
