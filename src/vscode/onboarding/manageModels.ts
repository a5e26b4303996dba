import * as vscode from 'vscode';
import type { Logger } from '../../common/log';
import { withPatched, withRemoved, type PoolScope, type ScopedEntry } from '../../common/onboarding/poolEdits';
import { poolEntrySchema } from '../../common/providers/poolSchema';
import type { ModelRole } from '../../common/providers/types';
import type { PoolSettings } from '../providers/poolSettings';
import { BACK, type FlowUi, type PickItem } from './flowUi';

const ROLES: readonly ModelRole[] = ['bidder', 'juror', 'executor', 'embedder'];
const DEFAULT_ROLES: readonly ModelRole[] = ['bidder', 'juror', 'executor'];
const ADD = Symbol('add');

export interface ManageModelsDeps {
  ui: FlowUi;
  settings: PoolSettings;
  log: Logger;
  /** Starts "Add Model…" (the list's first item). */
  addModel: () => Thenable<unknown>;
  /** Asks before a model is removed; true to go ahead. */
  confirmRemove: (id: string, scope: PoolScope) => Thenable<boolean>;
}

type Action = 'enable' | 'disable' | 'roles' | 'remove';

const scopeName = (scope: PoolScope) => (scope === 'user' ? vscode.l10n.t('User settings') : vscode.l10n.t('Workspace settings'));

function describe(e: ScopedEntry): { enabled: boolean; roles: ModelRole[]; model: string; provider: string } {
  const parsed = poolEntrySchema.safeParse(e.raw);
  const raw = (e.raw ?? {}) as { enabled?: unknown; roles?: unknown; model?: unknown; provider?: unknown };
  return {
    enabled: raw.enabled !== false,
    roles: parsed.success && parsed.data.roles ? parsed.data.roles : [...DEFAULT_ROLES],
    model: typeof raw.model === 'string' ? raw.model : '?',
    provider: typeof raw.provider === 'string' ? raw.provider : '?',
  };
}

/**
 * "SALE: Manage Models…": the pool's models from User and Workspace settings; pick one to enable or disable it,
 * change its roles or remove it. Each change is written back to the scope the model came from, and the list comes
 * back so several changes can be made in a row. Escape leaves; every change made so far is already saved.
 */
export async function manageModelsFlow(deps: ManageModelsDeps): Promise<void> {
  const { ui, settings, log } = deps;
  const title = vscode.l10n.t('SALE: Manage Models');
  for (;;) {
    const entries = settings.entries().filter((e) => e.id !== undefined);
    const items: PickItem<ScopedEntry | typeof ADD>[] = entries.map((e) => {
      const d = describe(e);
      return {
        label: `${d.enabled ? '$(pass-filled)' : '$(circle-slash)'} ${e.id ?? ''}`,
        description: `${d.model} · ${d.roles.join(', ')}${d.enabled ? '' : ` · ${vscode.l10n.t('disabled')}`}`,
        detail: `${d.provider} · ${scopeName(e.scope)}`,
        value: e,
      };
    });
    items.push({ label: `$(add) ${vscode.l10n.t('Add Model…')}`, value: ADD });
    const picked = await ui.pick({ title, canGoBack: false, placeholder: entries.length ? vscode.l10n.t('Pick a model to change it') : vscode.l10n.t('No models in sale.models yet'), items, matchOnDescription: true });
    if (picked === undefined || picked === BACK) return;
    if (picked === ADD) {
      await deps.addModel();
      return;
    }
    const id = picked.id as string;
    const d = describe(picked);
    const actions: PickItem<Action>[] = [
      d.enabled
        ? { label: `$(circle-slash) ${vscode.l10n.t('Disable')}`, description: vscode.l10n.t('keep it configured, out of auctions'), value: 'disable' }
        : { label: `$(pass-filled) ${vscode.l10n.t('Enable')}`, description: vscode.l10n.t('let it join auctions again'), value: 'enable' },
      { label: `$(symbol-event) ${vscode.l10n.t('Change roles…')}`, description: d.roles.join(', '), value: 'roles' },
      { label: `$(trash) ${vscode.l10n.t('Remove')}`, description: vscode.l10n.t('from {0}; its API key stays', scopeName(picked.scope)), value: 'remove' },
    ];
    const action = await ui.pick<Action>({ title: `${title}: ${id}`, canGoBack: true, placeholder: vscode.l10n.t('What should change?'), items: actions });
    if (action === undefined) return;
    if (action === BACK) continue;
    const list = settings.list(picked.scope);
    if (action === 'enable' || action === 'disable') {
      await settings.write(picked.scope, withPatched(list, id, { enabled: action === 'enable' }));
      log.info(`${id} ${action}d in the ${picked.scope} settings`);
    } else if (action === 'roles') {
      const roles = await ui.pickMany<ModelRole>({
        title: `${title}: ${id}`,
        canGoBack: true,
        placeholder: vscode.l10n.t('What may {0} do? (at least one)', id),
        items: ROLES.map((r) => ({ label: r, description: roleHelp(r), value: r, picked: d.roles.includes(r) })),
      });
      if (roles === undefined) return;
      if (roles === BACK || roles.length === 0) continue;
      await settings.write(picked.scope, withPatched(list, id, { roles }));
      log.info(`${id} roles set to ${roles.join(', ')} in the ${picked.scope} settings`);
    } else if (await deps.confirmRemove(id, picked.scope)) {
      await settings.write(picked.scope, withRemoved(list, id));
      log.info(`${id} removed from the ${picked.scope} settings`);
    }
  }
}

function roleHelp(role: ModelRole): string {
  switch (role) {
    case 'bidder':
      return vscode.l10n.t('writes a plan for each task');
    case 'juror':
      return vscode.l10n.t('scores the other bids');
    case 'executor':
      return vscode.l10n.t('may run its plan when it wins');
    case 'embedder':
      return vscode.l10n.t('embeds tasks for the memory\'s retrieval');
  }
}
