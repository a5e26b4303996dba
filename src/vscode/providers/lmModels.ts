import * as vscode from 'vscode';
import { Emitter, type Disposable } from '../../common/lifecycle';
import type { Logger } from '../../common/log';
import { lmPoolEntries, type LmModelInfo } from '../../common/providers/lmPool';
import type { PoolEntry } from '../../common/providers/poolSchema';
import type { ModelCapabilities, ModelSpec } from '../../common/providers/types';
import type { LmAccess } from './lmClient';

const REFUSED_KEY = 'sale.lm.consentRefused';
export const ASK_LM_CONSENT_COMMAND = 'sale.askModelConsent';

/** The pool strip's state of a `vscode-lm` model (see PoolMemberView.status). */
export type LmStatus = 'ready' | 'consent-refused' | 'unavailable';

/**
 * VS Code's Language Model API as the pool sees it: the models offered (re-read when VS Code says they changed),
 * and the consent state. A refusal is remembered (in globalState) so no auction sends a request to a refused
 * model; the user clears it with "Ask Again", which makes one request so that VS Code asks its own question again.
 */
export class LanguageModelRegistry implements LmAccess, Disposable {
  readonly justification = vscode.l10n.t('SALE asks the models in your pool to bid on, judge and carry out the coding tasks you give it.');
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private models: Promise<vscode.LanguageModelChat[]> | undefined;
  private readonly refused: Set<string>;
  private readonly subscriptions: { dispose(): unknown }[] = [];
  private warnedMissingApi = false;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: Logger,
  ) {
    this.refused = new Set(state.get<string[]>(REFUSED_KEY, []));
    if (this.apiPresent()) {
      this.subscriptions.push(
        vscode.lm.onDidChangeChatModels(() => {
          this.models = undefined;
          this.changed.fire();
        }),
      );
    }
  }

  /** `vscode.lm` is in every VS Code the extension supports (1.96+), but forks may lack it: checked at run time. */
  apiPresent(): boolean {
    const lm = (vscode as { lm?: Partial<typeof vscode.lm> }).lm;
    return typeof lm?.selectChatModels === 'function' && typeof lm.onDidChangeChatModels === 'function';
  }

  /** Every chat model VS Code offers now; empty (with one warning in the UI) when the API is missing. */
  async list(): Promise<vscode.LanguageModelChat[]> {
    if (!this.apiPresent()) {
      if (!this.warnedMissingApi) {
        this.warnedMissingApi = true;
        this.log.warn('This VS Code has no Language Model API (vscode.lm): vscode-lm models in sale.models stay unavailable');
        void vscode.window.showWarningMessage(vscode.l10n.t('SALE: this editor has no Language Model API, so the vscode-lm models in sale.models cannot be used.'));
      }
      return [];
    }
    this.models ??= Promise.resolve(vscode.lm.selectChatModels()).then(
      (ms) => ms,
      (e: unknown) => {
        this.log.warn(`vscode.lm.selectChatModels failed: ${e instanceof Error ? e.message : String(e)}`);
        this.models = undefined;
        return [];
      },
    );
    return this.models;
  }

  /** Plain facts of the models offered, for the pool and the Add Model flow. */
  async infos(): Promise<LmModelInfo[]> {
    return (await this.list()).map(infoOf);
  }

  /**
   * The models VS Code offers as `sale.models` entries, ids unique against `takenIds`. For the Add Model flow: it
   * shows these and writes the ones the user picks into `sale.models`.
   */
  async poolEntries(takenIds: ReadonlySet<string> = new Set()): Promise<PoolEntry[]> {
    return lmPoolEntries(await this.infos(), takenIds);
  }

  async model(id: string): Promise<vscode.LanguageModelChat | undefined> {
    return (await this.list()).find((m) => m.id === id);
  }

  isRefused(id: string): boolean {
    return this.refused.has(id);
  }

  markRefused(id: string): void {
    if (this.refused.has(id)) return;
    this.refused.add(id);
    void this.state.update(REFUSED_KEY, [...this.refused]);
    this.changed.fire();
    const again = vscode.l10n.t('Ask Again');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('SALE may not use the language model {0}: access was refused. SALE will not ask for it in auctions until you ask again.', id), again)
      .then((c) => (c === again ? vscode.commands.executeCommand(ASK_LM_CONSENT_COMMAND, id) : undefined));
  }

  /**
   * Forgets a refusal and makes one small request, so VS Code asks the user again if it still needs to. Returns
   * whether the model answered. A second refusal is remembered again and the user is told where VS Code keeps it.
   */
  async askAgain(id: string): Promise<boolean> {
    this.refused.delete(id);
    await this.state.update(REFUSED_KEY, [...this.refused]);
    this.changed.fire();
    const model = await this.model(id);
    if (!model) return false;
    try {
      const r = await model.sendRequest([vscode.LanguageModelChatMessage.User('Reply with the single word: ready')], { justification: this.justification });
      for await (const _ of r.text) {
        // Drain the reply: the request is done only when its stream is.
      }
      return true;
    } catch (e) {
      if (e instanceof vscode.LanguageModelError && e.code === vscode.LanguageModelError.NoPermissions.name) {
        this.markRefused(id);
        void vscode.window.showInformationMessage(vscode.l10n.t('VS Code still refuses access. You can allow SALE under Accounts → Manage Language Model Access.'));
      } else this.log.warn(`Asking for ${id} again failed: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  /** The pool strip's state of a spec (after `withLmFacts`); non-vscode-lm models are always ready. */
  status(spec: ModelSpec): LmStatus {
    if (spec.provider !== 'vscode-lm') return 'ready';
    if (this.refused.has(spec.model)) return 'consent-refused';
    return spec.lm ? 'ready' : 'unavailable';
  }

  /**
   * What the API itself says a model does, so an auction does not spend three premium requests probing it: text
   * streams, no logprobs and no embeddings through this API, structured output only through a tool. Tool calling as
   * the model declares it (`capabilities.supportsToolCalling`, newer than 1.96: read at run time, false when absent,
   * and then the agent uses its text tool format). "Test Model Connections" probes for real.
   */
  async declaredCapabilities(spec: ModelSpec): Promise<ModelCapabilities> {
    const model = await this.model(spec.model);
    const tools = (model as { capabilities?: { supportsToolCalling?: unknown } } | undefined)?.capabilities?.supportsToolCalling === true;
    return { streaming: true, tools, structuredOutput: tools, logprobs: false, embeddings: false, probedAt: new Date().toISOString() };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

function infoOf(m: vscode.LanguageModelChat): LmModelInfo {
  return { id: m.id, vendor: m.vendor, family: m.family, name: m.name, version: m.version, maxInputTokens: m.maxInputTokens };
}

/** "SALE: Ask Again for Model Access": clears a refusal and lets VS Code ask the user once more. */
export function registerAskConsentCommand(registry: LanguageModelRegistry): vscode.Disposable {
  return vscode.commands.registerCommand(ASK_LM_CONSENT_COMMAND, async (id?: string) => {
    let target = id;
    if (!target) {
      const refused = (await registry.infos()).filter((m) => registry.isRefused(m.id));
      const pick = await vscode.window.showQuickPick(
        refused.map((m) => ({ label: m.name, description: `${m.vendor} · ${m.id}`, id: m.id })),
        { placeHolder: refused.length ? vscode.l10n.t('Which model should VS Code ask about again?') : vscode.l10n.t('No language model access has been refused') },
      );
      target = pick?.id;
    }
    return target ? registry.askAgain(target) : false;
  });
}
