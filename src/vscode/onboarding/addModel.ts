import * as vscode from 'vscode';
import type { Logger } from '../../common/log';
import { entryFor, parsePriceInput, priceChoices, proposedId, withAdded, type PoolScope, type PriceChoice } from '../../common/onboarding/poolEdits';
import { baseUrlProblem, keyNeed, normalizeBaseUrl, PROVIDER_PRESETS, suggestV1, type ProviderPreset } from '../../common/onboarding/providerPresets';
import { SaleError } from '../../common/errors';
import { lmPoolEntries } from '../../common/providers/lmPool';
import { isLoopbackUrl } from '../../common/providers/localServers';
import type { PoolEntry } from '../../common/providers/poolSchema';
import { copilotRequestPrice } from '../../common/providers/priceTable';
import { providerKeyLabel, providerKeyOf } from '../../common/providers/providerKey';
import type { ListedModel, ListModelsRequest } from '../../node/providers/listModels';
import type { ApiKeyStore } from '../providers/apiKeyStore';
import type { ModelPoolService } from '../providers/modelPool';
import { testOne, type ConnectionResult } from '../providers/testConnections';
import { BACK, type Answer, type FlowUi, type PickItem } from './flowUi';

/** What "Add Model…" did, returned by the command (tests read it). */
export interface AddModelResult {
  id: string;
  scope: PoolScope;
  entry: Record<string, unknown>;
  /** The probe of the new model; undefined when the user left before it finished. */
  connection?: ConnectionResult;
}

export interface AddModelDeps {
  ui: FlowUi;
  keys: ApiKeyStore;
  pool: ModelPoolService;
  listModels: (req: ListModelsRequest) => Promise<ListedModel[]>;
  log: Logger;
}

const MANUAL = Symbol('manual');
/** The provider choice for the models VS Code already has (Copilot's, other extensions'): no URL, key or price. */
const VSCODE_LM = Symbol('vscode-lm');
type Step = 'provider' | 'baseUrl' | 'key' | 'model' | 'modelName' | 'price' | 'customPrice' | 'scope' | 'lmModel';
const STEP_NUMBER: Record<Step, number> = { provider: 1, baseUrl: 2, key: 3, model: 4, modelName: 4, price: 5, customPrice: 5, scope: 6, lmModel: 2 };
const TOTAL = 6;

/** What the flow has collected so far; going Back keeps it, so a step shows the earlier answer again. */
interface Collected {
  preset?: ProviderPreset;
  baseUrl?: string;
  /** No key was given for an endpoint that may not need one. */
  keyless?: boolean;
  model?: string;
  price?: PriceChoice;
  scope?: PoolScope;
  /** A model VS Code offers through its Language Model API, as its `sale.models` entry. */
  lmEntry?: PoolEntry;
}

/** Where a step leads: the next step, `done`, Back, or undefined when the user left. */
type Outcome = Step | 'done' | typeof BACK | undefined;

interface StepContext {
  deps: AddModelDeps;
  c: Collected;
  /** Title, step number and whether Back is offered, for the step's dialog. */
  frame: { title: string; step: number; totalSteps: number; canGoBack: boolean };
}

/** Passes Back and leaving through; otherwise continues with the answer. */
async function then<T>(a: Answer<T>, go: (v: T) => Outcome | Promise<Outcome>): Promise<Outcome> {
  if (a === undefined) return undefined;
  if (a === BACK) return BACK;
  return go(a);
}

const usd = (n: number) => `$${n.toLocaleString('en-US', { maximumFractionDigits: 4 })}`;

/** Why a model list is empty or failed, in words, with what the user can do (type the name). */
function listProblem(e: unknown): string {
  const why = e instanceof SaleError ? e.message : e instanceof Error ? e.message : String(e);
  return vscode.l10n.t('Could not fetch the model list: {0}. Pick "Enter a model name…" to type it.', why);
}

function baseUrlCheck(preset: ProviderPreset, v: string): string | { warning: string } | undefined {
  const problem = baseUrlProblem(v);
  if (problem === 'empty') return vscode.l10n.t('Enter the server\'s URL, for example http://127.0.0.1:8000/v1');
  if (problem === 'not-http') return vscode.l10n.t('Enter an http:// or https:// URL');
  if (problem === 'has-query') return vscode.l10n.t('The base URL cannot have a query (?…) or a fragment (#…)');
  const v1 = suggestV1(preset, v);
  return v1 ? { warning: vscode.l10n.t('OpenAI-compatible servers usually serve under /v1: {0}', v1) } : undefined;
}

const STEPS: Record<Step, (ctx: StepContext) => Promise<Outcome>> = {
  provider: async ({ deps, c, frame }) =>
    then(
      await deps.ui.pick<ProviderPreset | typeof VSCODE_LM>({
        ...frame,
        placeholder: vscode.l10n.t('Which provider or server runs the model?'),
        items: [
          ...(deps.pool.lm
            ? [{ label: vscode.l10n.t('Models in VS Code'), description: vscode.l10n.t('GitHub Copilot and other extensions, through VS Code\'s Language Model API'), detail: vscode.l10n.t('No key: VS Code asks once whether SALE may use them; priced per request'), value: VSCODE_LM as ProviderPreset | typeof VSCODE_LM, picked: c.lmEntry !== undefined }]
            : []),
          ...PROVIDER_PRESETS.map((p) => ({
            label: p.name,
            description: p.id === 'other' ? vscode.l10n.t('any server that speaks OpenAI chat completions') : p.baseUrl,
            detail: p.key === 'none' ? vscode.l10n.t('Runs on this machine; free, no key') : undefined,
            value: p,
            picked: p.id === c.preset?.id,
          })),
        ],
      }),
      (preset) => {
        if (preset === VSCODE_LM) return 'lmModel';
        if (preset.id !== c.preset?.id) c.baseUrl = undefined;
        c.preset = preset;
        c.lmEntry = undefined;
        return 'baseUrl';
      },
    ),

  lmModel: async ({ deps, c, frame }) => {
    const lm = deps.pool.lm;
    if (!lm) return undefined;
    const a = await deps.ui.pick<PoolEntry>({
      ...frame,
      busyPlaceholder: vscode.l10n.t('Asking VS Code for its language models…'),
      placeholder: vscode.l10n.t('Which model?'),
      matchOnDescription: true,
      items: async () => {
        const taken = new Set(deps.pool.settings.entries().flatMap((e) => (e.id ? [e.id] : [])));
        const infos = await lm.infos();
        const entries = lmPoolEntries(infos, taken);
        if (!entries.length) return { items: [], placeholder: vscode.l10n.t('VS Code offers no language models: install or sign in to an extension that provides them (GitHub Copilot, for one).') };
        return {
          items: entries.map((e, i) => {
            const info = infos[i];
            const price = info ? copilotRequestPrice(info.vendor, info.family) : undefined;
            return {
              label: info?.name ?? e.model,
              description: `${info?.vendor ?? ''} · ${e.model}`,
              detail: price?.perRequest !== undefined ? vscode.l10n.t('${0} × {1} per request (table of {2})', price.perRequest, price.multiplier ?? 1, price.asOf ?? '') : vscode.l10n.t('price unknown: add price.perRequest in settings to count it'),
              value: e,
              picked: e.model === c.lmEntry?.model,
            };
          }),
        };
      },
    });
    return then(a, (entry) => {
      c.lmEntry = entry;
      c.preset = undefined;
      return 'scope';
    });
  },

  baseUrl: async ({ deps, c, frame }) => {
    const preset = c.preset as ProviderPreset;
    const a = await deps.ui.input({
      ...frame,
      prompt: vscode.l10n.t('Base URL of the {0} API', preset.name),
      value: c.baseUrl ?? preset.baseUrl,
      placeholder: 'http://127.0.0.1:8000/v1',
      validate: (v) => baseUrlCheck(preset, v),
    });
    return then(a, async (raw) => {
      const baseUrl = normalizeBaseUrl(raw);
      c.baseUrl = baseUrl;
      const need = keyNeed(preset, baseUrl);
      if (need === 'none') {
        c.keyless = undefined;
        return 'model';
      }
      // A key already stored for this endpoint is used as it is (Set API Key replaces it).
      return (await deps.keys.get(providerKeyOf({ provider: preset.provider, baseUrl }))) ? 'model' : 'key';
    });
  },

  key: async ({ deps, c, frame }) => {
    const preset = c.preset as ProviderPreset;
    const baseUrl = c.baseUrl as string;
    const providerKey = providerKeyOf({ provider: preset.provider, baseUrl });
    const label = providerKeyLabel(providerKey);
    const required = keyNeed(preset, baseUrl) === 'required';
    const help = preset.keyHelpUrl ? ` ${vscode.l10n.t('Get one at {0}', preset.keyHelpUrl)}` : '';
    const a = await deps.ui.input({
      ...frame,
      prompt: required
        ? vscode.l10n.t('API key for {0}. Stored in VS Code Secret Storage on this machine; never in settings or logs.{1}', label, help)
        : vscode.l10n.t('API key for {0}, if the server checks one (leave empty if not). Stored in Secret Storage.', label),
      password: true,
      validate: (v) => (required && !v.trim() ? vscode.l10n.t('{0} needs a key', preset.name) : undefined),
    });
    return then(a, async (key): Promise<Outcome> => {
      c.keyless = !key.trim();
      if (key.trim()) {
        // Saved now: leaving the flow later must not lose a key the user already typed.
        await deps.keys.set(providerKey, key);
        deps.log.info(`API key stored for ${label}`);
      }
      return 'model';
    });
  },

  model: async ({ deps, c, frame }) => {
    const preset = c.preset as ProviderPreset;
    const baseUrl = c.baseUrl as string;
    const manual: PickItem<typeof MANUAL> = { label: `$(edit) ${vscode.l10n.t('Enter a model name…')}`, value: MANUAL };
    const a = await deps.ui.pick<string | typeof MANUAL>({
      ...frame,
      busyPlaceholder: vscode.l10n.t('Fetching the models of {0}…', baseUrl),
      placeholder: vscode.l10n.t('Which model?'),
      matchOnDescription: true,
      items: async (signal) => {
        try {
          const apiKey = await deps.keys.get(providerKeyOf({ provider: preset.provider, baseUrl }));
          const listed = await deps.listModels({ provider: preset.provider, baseUrl, local: isLoopbackUrl(baseUrl) || c.keyless === true, apiKey, signal, logger: deps.log });
          if (!listed.length) return { items: [manual], placeholder: vscode.l10n.t('{0} lists no models. Pick "Enter a model name…" to type one.', baseUrl) };
          return { items: [...listed.map((m) => ({ label: m.id, description: m.displayName, value: m.id, picked: m.id === c.model })), manual] };
        } catch (e) {
          deps.log.warn(`Model list of ${baseUrl}: ${e instanceof Error ? e.message : String(e)}`);
          return { items: [manual], placeholder: listProblem(e) };
        }
      },
    });
    return then(a, (m) => {
      if (m === MANUAL) return 'modelName';
      c.model = m;
      return 'price';
    });
  },

  modelName: async ({ deps, c, frame }) =>
    then(
      await deps.ui.input({
        ...frame,
        prompt: vscode.l10n.t('The model name sent to the API, as the provider spells it'),
        value: c.model,
        placeholder: 'gpt-5-mini · claude-sonnet-4-5 · qwen3:8b',
        validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a model name')),
      }),
      (name) => {
        c.model = name.trim();
        return 'price';
      },
    ),

  price: async ({ deps, c, frame }) => {
    const model = c.model as string;
    const { choices, table } = priceChoices(c.preset as ProviderPreset, model, c.baseUrl as string);
    const items: Record<PriceChoice['kind'], PickItem<PriceChoice['kind']>> = {
      table: {
        label: table ? vscode.l10n.t('{0} in · {1} out per million tokens', usd(table.inputPerMTok), usd(table.outputPerMTok)) : '',
        description: vscode.l10n.t('built-in price table, as of {0}', table?.asOf ?? ''),
        value: 'table',
      },
      free: { label: vscode.l10n.t('Free / local'), description: vscode.l10n.t('costs nothing per token (a server you run)'), value: 'free' },
      custom: { label: vscode.l10n.t('Enter a price…'), description: vscode.l10n.t('dollars per million input and output tokens'), value: 'custom' },
      unknown: { label: vscode.l10n.t('Unknown'), description: vscode.l10n.t('shown as unknown, never as $0; cost caps cannot apply'), value: 'unknown' },
    };
    const a = await deps.ui.pick<PriceChoice['kind']>({ ...frame, placeholder: vscode.l10n.t('What does {0} cost?', model), items: choices.map((k) => items[k]) });
    return then(a, (kind) => {
      if (kind === 'custom') return 'customPrice';
      c.price = kind === 'table' && table ? { kind: 'table', price: table } : kind === 'free' ? { kind: 'free' } : { kind: 'unknown' };
      return 'scope';
    });
  },

  customPrice: async ({ deps, c, frame }) =>
    then(
      await deps.ui.input({
        ...frame,
        prompt: vscode.l10n.t('Dollars per million tokens: input, output (for example 0.4, 1.6)'),
        value: c.price?.kind === 'custom' ? `${c.price.inputPerMTok}, ${c.price.outputPerMTok}` : undefined,
        validate: (v) => (parsePriceInput(v) ? undefined : vscode.l10n.t('Enter two numbers, input then output, for example 0.4, 1.6')),
      }),
      (text) => {
        const price = parsePriceInput(text);
        if (price) c.price = { kind: 'custom', ...price };
        return 'scope';
      },
    ),

  scope: async ({ deps, c, frame }) => {
    // Without a trusted folder there is no workspace to write to: the user's settings it is.
    if (!deps.pool.settings.workspaceAllowed()) {
      c.scope = 'user';
      return 'done';
    }
    const a = await deps.ui.pick<PoolScope>({
      ...frame,
      placeholder: vscode.l10n.t('Where should the model be saved?'),
      items: [
        { label: vscode.l10n.t('User settings'), description: vscode.l10n.t('every workspace on this machine'), value: 'user', picked: true },
        { label: vscode.l10n.t('Workspace settings'), description: vscode.l10n.t('this workspace only (.vscode/settings.json, may be shared through git)'), value: 'workspace' },
      ],
    });
    return then(a, (scope) => {
      c.scope = scope;
      return 'done';
    });
  },
};

/**
 * "SALE: Add Model…": provider → base URL → key (only where one is needed, saved at once to Secret Storage) →
 * the endpoint's models fetched live (or typed) → price (dated table, free/local, or typed) → User or Workspace
 * settings → a probe of the new model. Back goes one step back; Escape leaves, losing nothing already saved.
 */
export async function addModelFlow(deps: AddModelDeps): Promise<AddModelResult | undefined> {
  const title = vscode.l10n.t('SALE: Add Model');
  const c: Collected = {};
  const history: Step[] = [];
  let step: Step | 'done' = 'provider';
  while (step !== 'done') {
    const outcome: Outcome = await STEPS[step]({ deps, c, frame: { title, step: STEP_NUMBER[step], totalSteps: TOTAL, canGoBack: history.length > 0 } });
    if (outcome === undefined) return undefined;
    if (outcome === BACK) {
      const previous = history.pop();
      if (!previous) return undefined;
      step = previous;
      continue;
    }
    history.push(step);
    step = outcome;
  }
  if (c.lmEntry) return saveEntry(deps, c.lmEntry, c.scope ?? 'user', 'VS Code');
  const { preset, baseUrl, model, price } = c;
  if (!preset || !baseUrl || !model || !price) return undefined;
  return save(deps, { preset, baseUrl, model, price, ...(c.keyless ? { keyless: true } : {}) }, c.scope ?? 'user');
}

async function save(deps: AddModelDeps, state: { preset: ProviderPreset; baseUrl: string; keyless?: boolean; model: string; price: PriceChoice }, scope: PoolScope): Promise<AddModelResult> {
  const taken = new Set(deps.pool.settings.entries().flatMap((e) => (e.id ? [e.id] : [])));
  const id = proposedId(state.preset, state.model, taken);
  const entry = entryFor({ preset: state.preset, baseUrl: state.baseUrl, model: state.model, id, price: state.price, ...(state.keyless ? { keyless: true } : {}) });
  return saveEntry(deps, entry, scope, state.preset.name);
}

/** Writes the entry to the chosen settings, then probes the new model as Test Model Connections does. */
async function saveEntry(deps: AddModelDeps, entry: PoolEntry, scope: PoolScope, providerName: string): Promise<AddModelResult> {
  const { pool, log } = deps;
  const id = entry.id;
  await pool.settings.write(scope, withAdded(pool.settings.list(scope), entry));
  log.info(`Added ${id} (${providerName}, ${entry.model}) to the ${scope} settings`);
  const spec = (await pool.snapshot()).models.find((m) => m.id === id);
  if (!spec) return { id, scope, entry: { ...entry } };
  const connection = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('SALE: Testing {0}', id), cancellable: true },
    async (_p, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      try {
        return await testOne(pool, spec, ac.signal);
      } finally {
        sub.dispose();
      }
    },
  );
  return { id, scope, entry: { ...entry }, connection };
}
