import * as vscode from 'vscode';
import type { Logger } from '../../common/log';
import { DEFAULT_BASE_URLS, providerKeyLabel, providerKeyOf } from '../../common/providers/providerKey';
import type { ApiKeyStore } from './apiKeyStore';
import type { ModelPoolService } from './modelPool';

export const SET_API_KEY_COMMAND = 'sale.setApiKey';
export const REMOVE_API_KEY_COMMAND = 'sale.removeApiKey';

/** Arguments a caller (an error's "Set API Key" button) may pass to skip the endpoint picker. */
export interface SetApiKeyArgs {
  providerKey?: string;
  /**
   * The key itself, for automation (another extension's onboarding, tests); with `providerKey` no prompt is shown.
   * It goes straight to Secret Storage and is never logged.
   */
  key?: string;
}

interface EndpointItem extends vscode.QuickPickItem {
  providerKey?: string;
}

/** The endpoints a key can be for: OpenAI, Anthropic, and every remote endpoint of the pool. */
async function endpointItems(pool: ModelPoolService, keys: ApiKeyStore): Promise<EndpointItem[]> {
  const stored = new Set(keys.storedProviderKeys());
  const providerKeys = new Set([providerKeyOf({ provider: 'openai', baseUrl: DEFAULT_BASE_URLS.openai }), providerKeyOf({ provider: 'anthropic', baseUrl: DEFAULT_BASE_URLS.anthropic })]);
  const { models } = await pool.snapshot();
  for (const m of models) if (!m.local) providerKeys.add(providerKeyOf(m));
  const items: EndpointItem[] = [...providerKeys].map((providerKey) => ({
    label: providerKeyLabel(providerKey),
    description: stored.has(providerKey) ? vscode.l10n.t('key set') : undefined,
    detail: providerKey.slice(providerKey.indexOf(':') + 1),
    providerKey,
  }));
  items.push({ label: vscode.l10n.t('Other OpenAI-compatible endpoint…') });
  return items;
}

async function askEndpoint(pool: ModelPoolService, keys: ApiKeyStore): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(endpointItems(pool, keys), { title: vscode.l10n.t('SALE: Set API Key'), placeHolder: vscode.l10n.t('Which provider is the key for?') });
  if (!pick) return undefined;
  if (pick.providerKey) return pick.providerKey;
  const url = await vscode.window.showInputBox({
    title: vscode.l10n.t('SALE: Set API Key'),
    prompt: vscode.l10n.t('Base URL of the OpenAI-compatible endpoint, as in sale.models'),
    placeHolder: 'https://openrouter.ai/api/v1',
    validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter an http(s) URL')),
  });
  return url ? providerKeyOf({ provider: 'openai-compatible', baseUrl: url.trim() }) : undefined;
}

export function registerApiKeyCommands(keys: ApiKeyStore, pool: ModelPoolService, log: Logger): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(SET_API_KEY_COMMAND, async (args?: SetApiKeyArgs) => {
      const providerKey = args?.providerKey ?? (await askEndpoint(pool, keys));
      if (!providerKey) return;
      const label = providerKeyLabel(providerKey);
      const key = args?.providerKey && typeof args.key === 'string' && args.key.trim() ? args.key.trim() : await vscode.window.showInputBox({
        title: vscode.l10n.t('SALE: API key for {0}', label),
        prompt: vscode.l10n.t('Stored in VS Code Secret Storage on this machine; never in settings or logs.'),
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('The key cannot be empty')),
      });
      if (!key) return;
      await keys.set(providerKey, key);
      log.info(`API key stored for ${label}`);
      void vscode.window.showInformationMessage(vscode.l10n.t('API key for {0} saved.', label));
    }),
    vscode.commands.registerCommand(REMOVE_API_KEY_COMMAND, async () => {
      const stored = keys.storedProviderKeys();
      if (!stored.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No API keys are stored.'));
        return;
      }
      const pick = await vscode.window.showQuickPick(
        stored.map((providerKey) => ({ label: providerKeyLabel(providerKey), detail: providerKey.slice(providerKey.indexOf(':') + 1), providerKey })),
        { title: vscode.l10n.t('SALE: Remove API Key'), placeHolder: vscode.l10n.t('Which key should be removed?') },
      );
      if (!pick) return;
      await keys.delete(pick.providerKey);
      log.info(`API key removed for ${pick.label}`);
      void vscode.window.showInformationMessage(vscode.l10n.t('API key for {0} removed.', pick.label));
    }),
  ];
}
