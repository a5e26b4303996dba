import * as vscode from 'vscode';
import { proposedId, withAdded, type PoolScope } from '../../common/onboarding/poolEdits';
import { PROVIDER_PRESETS } from '../../common/onboarding/providerPresets';
import type { Logger } from '../../common/log';
import type { PoolEntry } from '../../common/providers/poolSchema';
import { listModels } from '../../node/providers/listModels';
import { emptyPoolNotice } from '../auction/notices';
import type { PanelModel } from '../panel/panelModel';
import type { ApiKeyStore } from '../providers/apiKeyStore';
import type { ModelPoolService } from '../providers/modelPool';
import { nextStepAction, nextStepHint } from '../providers/nextStepActions';
import { addModelFlow, type AddModelResult } from './addModel';
import { QuickInputUi, type FlowUi } from './flowUi';
import { manageModelsFlow } from './manageModels';

export const ADD_MODEL_COMMAND = 'sale.addModel';
export const MANAGE_MODELS_COMMAND = 'sale.manageModels';
export const DETECT_LOCAL_SERVERS_COMMAND = 'sale.detectLocalServers';
export const OPEN_WALKTHROUGH_COMMAND = 'sale.openWalkthrough';
/** The walkthrough's id as `workbench.action.openWalkthrough` takes it: `publisher.name#id`. */
export const WALKTHROUGH_ID = 'sale-dev.sale-vscode#sale.gettingStarted';

/** The panel notice buttons this module answers (merged into the panel's command table). */
export const ONBOARDING_PANEL_COMMANDS = {
  addModel: ADD_MODEL_COMMAND,
  detectLocalServers: DETECT_LOCAL_SERVERS_COMMAND,
  openWalkthrough: OPEN_WALKTHROUGH_COMMAND,
} as const;

/**
 * Arguments for automation. `ui` replaces the QuickInput dialogs with scripted answers (the extension-host tests);
 * everything past the UI boundary (settings, Secret Storage, the live model list, the probe) is the real thing.
 */
export interface FlowArgs {
  ui?: FlowUi;
}

/** Which of the detected local models to add, for automation (`all`), skipping the picker. */
export interface DetectArgs {
  add?: 'all';
  scope?: PoolScope;
}

/** What the first-run commands use. */
export interface OnboardingDeps {
  keys: ApiKeyStore;
  pool: ModelPoolService;
  /** The panel's notice: the empty-pool notice is shown there. */
  panel: Pick<PanelModel, 'state' | 'setNotice'>;
  /** SALE runs under its own test harness (`ExtensionMode.Test`): only then are scripted dialog answers taken. */
  testMode: boolean;
  log: Logger;
}

/** The first-run commands: Add Model, Manage Models, Detect Local Servers, the walkthrough; and the empty-pool notice. */
export function registerOnboardingContributions(s: OnboardingDeps): vscode.Disposable[] {
  const log = s.log.topic('onboarding');
  // Scripted answers only for SALE's own test harness: another extension must not drive the dialogs (and skip
  // the removal confirmation) through the command's arguments.
  const testUi = (args: unknown): FlowUi | undefined => (s.testMode ? (args as FlowArgs | undefined)?.ui : undefined);
  const uiOf = (args: unknown): FlowUi => testUi(args) ?? new QuickInputUi();

  const addModel = async (args?: FlowArgs): Promise<AddModelResult | undefined> => {
    const result = await addModelFlow({ ui: uiOf(args), keys: s.keys, pool: s.pool, listModels, log });
    if (result) showAdded(result);
    return result;
  };

  // The empty-pool notice follows the pool: shown while it is empty, gone once a model is in it.
  const syncNotice = async () => {
    const { models } = await s.pool.snapshot();
    const empty = emptyPoolNotice();
    const showing = s.panel.state.notice?.message === empty.message;
    if (!models.some((m) => m.enabled) && !showing) s.panel.setNotice(empty);
    else if (models.some((m) => m.enabled) && showing) s.panel.setNotice(null);
  };
  void syncNotice();

  return [
    s.pool.onDidChange(() => void syncNotice()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void s.pool.redetect()),
    vscode.commands.registerCommand(ADD_MODEL_COMMAND, addModel),
    vscode.commands.registerCommand(MANAGE_MODELS_COMMAND, (args?: FlowArgs) =>
      manageModelsFlow({
        ui: uiOf(args),
        settings: s.pool.settings,
        log,
        addModel: () => vscode.commands.executeCommand(ADD_MODEL_COMMAND, args),
        confirmRemove: async (id, scope) => {
          if (testUi(args)) return true;
          const remove = vscode.l10n.t('Remove');
          const where = scope === 'user' ? vscode.l10n.t('User settings') : vscode.l10n.t('Workspace settings');
          return (await vscode.window.showWarningMessage(vscode.l10n.t('Remove {0} from the pool ({1})?', id, where), { modal: true, detail: vscode.l10n.t('Its API key stays in Secret Storage; past auctions keep their records.') }, remove)) === remove;
        },
      }),
    ),
    vscode.commands.registerCommand(DETECT_LOCAL_SERVERS_COMMAND, (args?: DetectArgs) => detectLocalServers(s, args)),
    vscode.commands.registerCommand(OPEN_WALKTHROUGH_COMMAND, () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false)),
  ];
}

/** Says how the new model answered its probe, with the next step when it did not. */
function showAdded(r: AddModelResult): void {
  const c = r.connection;
  const auction = vscode.l10n.t('Auction a Task');
  const another = vscode.l10n.t('Add Another Model');
  if (!c || c.ok) {
    const mark = (v: boolean) => (v ? '✓' : '✗');
    // A model VS Code offers is not called to be tested (each call is a paid request): say so, not "answered in ? ms".
    const what = !c?.capabilities
      ? ''
      : c.latencyMs === undefined
        ? vscode.l10n.t(' Not called yet (each call is a request you pay for); VS Code says: tools {0}, logprobs {1}. VS Code may ask you once, at its first use, whether SALE may use it.', mark(c.capabilities.tools), mark(c.capabilities.logprobs))
        : vscode.l10n.t(' It answered in {0} ms (logprobs {1}, tools {2}).', String(c.latencyMs), mark(c.capabilities.logprobs), mark(c.capabilities.tools));
    void vscode.window
      .showInformationMessage(vscode.l10n.t('{0} is in the pool.{1}', r.id, what), auction, another)
      .then((choice) => (choice === auction ? vscode.commands.executeCommand('sale.auctionTask') : choice === another ? vscode.commands.executeCommand(ADD_MODEL_COMMAND) : undefined));
    return;
  }
  const fix = nextStepAction(c.nextStep, () => vscode.commands.executeCommand('sale.testConnections'));
  const manage = vscode.l10n.t('Manage Models');
  const hint = nextStepHint(c.nextStep);
  void vscode.window
    .showWarningMessage(vscode.l10n.t('{0} was added, but it did not answer: {1}{2}', r.id, c.message ?? c.errorCode ?? '', hint ? ` ${hint}` : ''), ...(fix ? [fix.label] : []), manage)
    .then((choice) => (choice === manage ? vscode.commands.executeCommand(MANAGE_MODELS_COMMAND) : fix && choice === fix.label ? fix.run() : undefined));
}

/**
 * "SALE: Detect Local Servers": looks again on the default ports and offers the models found to be added to
 * `sale.models` (until then they join auctions only while the pool is otherwise empty). Returns the ids added.
 */
async function detectLocalServers(s: Pick<OnboardingDeps, 'pool'>, args?: DetectArgs): Promise<string[]> {
  const snapshot = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('SALE: Looking for local model servers…') }, () => s.pool.redetect());
  const configured = new Set(s.pool.settings.entries().flatMap((e) => (e.id ? [e.id] : [])));
  const found = snapshot.detected.flatMap((d) => d.models.map((model) => ({ server: d, model, id: `${d.kind.slug}/${model}` }))).filter((f) => !configured.has(f.id));
  if (!found.length) {
    const add = vscode.l10n.t('Add Model…');
    const none = snapshot.detected.length
      ? vscode.l10n.t('Every model of the local servers found is already in sale.models.')
      : vscode.l10n.t('No local model server answered on its default port (Ollama 11434, LM Studio 1234, llama.cpp 8080, vLLM 8000). Start one, or add a model by hand.');
    if (!args) void vscode.window.showInformationMessage(none, add).then((c) => (c === add ? vscode.commands.executeCommand(ADD_MODEL_COMMAND) : undefined));
    return [];
  }
  const chosen =
    args?.add === 'all'
      ? found
      : (await vscode.window.showQuickPick(
          found.map((f) => ({ label: f.id, description: `${f.server.kind.name} · ${f.server.baseUrl}`, picked: true, f })),
          { canPickMany: true, title: vscode.l10n.t('SALE: Local models found'), placeHolder: vscode.l10n.t('Add these to the pool (free, on this machine)') },
        ))?.map((i) => i.f);
  if (!chosen?.length) return [];
  const scope: PoolScope = args?.scope ?? 'user';
  const taken = new Set(configured);
  let list = s.pool.settings.list(scope);
  const ids: string[] = [];
  for (const f of chosen) {
    const preset = PROVIDER_PRESETS.find((p) => p.idPrefix === f.server.kind.slug) ?? PROVIDER_PRESETS.find((p) => p.id === 'other');
    const id = preset ? proposedId(preset, f.model, taken) : f.id;
    taken.add(id);
    ids.push(id);
    const entry: PoolEntry = { id, provider: 'openai-compatible', baseUrl: f.server.baseUrl, model: f.model };
    list = withAdded(list, entry);
  }
  await s.pool.settings.write(scope, list);
  void vscode.window.showInformationMessage(vscode.l10n.t('Added {0} to the pool. Run "Test Model Connections" to see what they support.', ids.join(', ')));
  return ids;
}
