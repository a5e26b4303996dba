import type * as vscode from 'vscode';
import { Journal } from '../common/journal/journal';
import { AuctionSessions } from '../common/session/auctionSession';
import { persistSessions, type SessionPersistence } from '../common/session/sessionPersistence';
import { SessionStore } from '../node/session/sessionStore';
import { newId } from '../common/taskText';
import { DisposableStore, type Disposable } from '../common/lifecycle';
import type { Logger } from '../common/log';
import { fetchProbe } from '../node/providers/httpProbe';
import { AuctionController } from './auction/auctionController';
import { auctionSettings } from './auction/auctionSettings';
import { PoolForAuction } from './auction/poolAdapter';
import { Config } from './config';
import { createAgentHost, type AgentHost } from './execution/agentHost';
import { LedgerService } from './ledger/ledgerService';
import { createLogger } from './log';
import { EmbedderSource } from './memory/embedderSource';
import { MemoryService } from './memory/memoryService';
import { PanelModel } from './panel/panelModel';
import { ApiKeyStore } from './providers/apiKeyStore';
import { LanguageModelRegistry } from './providers/lmModels';
import { ModelPoolService } from './providers/modelPool';

/**
 * The services every contribution is built from; one instance per activation. Only the composition root
 * (`core.ts`, `contributions.ts`) sees this bag: each contribution declares and receives the narrow ports it uses.
 */
export interface Services extends Disposable {
  readonly context: vscode.ExtensionContext;
  /** The folder holding this workspace's memory, ledger and checkpoints. */
  readonly storageDir: string;
  readonly channel: vscode.LogOutputChannel;
  readonly log: Logger;
  readonly config: Config;
  readonly panelModel: PanelModel;
  readonly keys: ApiKeyStore;
  readonly pool: ModelPoolService;
  readonly ledger: LedgerService;
  readonly memory: MemoryService;
  /** The memory's embedder from the pool (a member with the `embedder` role), if any. */
  readonly embedders: EmbedderSource;
  readonly auctions: AuctionController;
  /** The single writer of auction facts; feeds the memory and the ledger. */
  readonly journal: Journal;
  /** The window's auction sessions (task, context, result, runs), addressed by auction id. */
  readonly sessions: AuctionSessions;
  /** The session log's writer: `flush` settles once every line handed to it is on disk. */
  readonly sessionLog: Pick<SessionPersistence, 'flush'>;
  /** What agents need from the window (folder, files, shell, approval of commands, test command). */
  readonly agentHost: AgentHost;
}

export function createServices(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): Services {
  const store = new DisposableStore();
  const log = createLogger(channel);
  const config = store.add(new Config());
  const panelModel = store.add(new PanelModel(context.workspaceState));
  const keys = store.add(new ApiKeyStore(context.secrets, context.globalState));
  const lm = store.add(new LanguageModelRegistry(context.globalState, log.topic('lm')));
  const pool = store.add(new ModelPoolService(config, keys, fetchProbe, context.globalState, log.topic('providers'), lm));
  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  log.info(`Workspace data (memory, ledger, checkpoints) in ${storageDir}`);
  const ledger = store.add(new LedgerService(storageDir, log.topic('ledger')));
  pool.probeCalls = ledger.sink;
  // The pool's embedder member, if any, read per query: retrieval by embedding, else BM25.
  const embedders = store.add(new EmbedderSource(pool, ledger.sink, log.topic('memory')));
  const memory = store.add(new MemoryService(storageDir, config, log.topic('memory'), () => embedders.current()));
  store.add(embedders.onDidChange(() => void memory.backfillEmbeddings()));
  memory.warmUp();
  const journal = new Journal({ memory, ledger }, log.topic('journal'), () => {
    const now = Date.now();
    return { time: new Date(now).toISOString(), id: newId('out', now) };
  });
  // The sessions an earlier window of this workspace left are read from the session log while the core starts.
  const sessions = new AuctionSessions();
  const sessionLog = new SessionStore(storageDir, log.topic('sessions'));
  sessions.restore(sessionLog.restore());
  const persistence = store.add(persistSessions(journal, sessions, sessionLog, log.topic('sessions')));
  // The memory's delete and clear take the auctions' task, context and runs out of the session log as well: this
  // window writes nothing more about them, its pending lines land, then the log is rewritten without them.
  store.add(
    memory.addForgetter(async (auctionIds) => {
      await sessions.whenRestored();
      persistence.forget(auctionIds);
      await persistence.flush();
      await sessionLog.forget(auctionIds);
    }),
  );
  const auctions = store.add(
    new AuctionController({
      pool: new PoolForAuction(pool, log.topic('pool')),
      memory: memory.port,
      executionHistory: ledger.executionHistory,
      trackRecord: memory.trackRecord,
      calls: ledger.sink,
      journal,
      sessions,
      panel: panelModel,
      settings: () => auctionSettings(config),
      budgetGate: () => ledger.budgetGate(config),
      log: log.topic('auction'),
    }),
  );
  const agentHost = createAgentHost(config);
  // The pool strip follows the pool (a model added, a price set, a consent refused), not only the last auction.
  store.add(pool.onDidChange(() => void auctions.showPool()));
  void auctions.showPool();
  return { context, storageDir, channel, log, config, panelModel, keys, pool, ledger, memory, embedders, auctions, journal, sessions, sessionLog: persistence, agentHost, dispose: () => store.dispose() };
}
