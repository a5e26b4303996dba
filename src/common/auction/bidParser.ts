import type { ChatResponse } from '../providers/types';
import { extractJsonObject, pick, splitListText, toStringList } from './looseJson';
import { fromPlainText } from './plainPlan';
import { BidSchema } from './schemas';
import type { Bid, BidContent, BidFailureCode } from './types';

export type ParsedBid = { ok: true; content: BidContent; planText: string; via: Bid['parsedVia'] } | { ok: false; code: BidFailureCode; reason: string };

const ALIASES = {
  summary: ['summary', 'approach', 'overview', 'strategy', 'goal'],
  steps: ['steps', 'plan', 'stepsplan', 'approachsteps', 'implementation'],
  files: ['files', 'filestotouch', 'filestochange', 'expectedfiles', 'touchedfiles', 'paths'],
  risks: ['risks', 'pitfalls', 'risksandpitfalls', 'concerns'],
  verification: ['verification', 'checks', 'testing', 'tests', 'validation', 'howtoverify', 'verify'],
} as const;

/**
 * Turns a bidder's reply into a bid: the provider's validated structured output first, then JSON anywhere in the
 * text (strict, then repaired), then markdown sections, then a bare list or prose (fromPlainText). A reply that
 * yields no steps is not a bid.
 */
export function parseBidReply(response: Pick<ChatResponse, 'text' | 'parsed' | 'finishReason'>): ParsedBid {
  if (response.finishReason === 'content_filter') return { ok: false, code: 'content-filter', reason: 'the provider filtered the reply' };
  const structured = BidSchema.safeParse(response.parsed);
  if (response.parsed !== undefined && structured.success) return done(normalise(structured.data), 'structured');

  const text = response.text ?? '';
  if (!text.trim()) return { ok: false, code: 'empty-reply', reason: 'the model returned an empty reply' };

  const json = extractJsonObject(text);
  if (json) {
    const content = fromObject(json.value);
    if (content.steps.length > 0) return done(content, json.via);
  }
  const md = fromMarkdown(text);
  if (md && md.steps.length > 0) return done(md, 'markdown');
  // No JSON, no steps section: a bare list or prose, as small models write. Sections that were found (risks,
  // files, verification) are kept.
  const plain = fromPlainText(text);
  if (plain) {
    const files = [...new Set([...(md?.files ?? []), ...plain.files])];
    return done(normalise({ ...plain, summary: plain.summary, files, risks: md?.risks ?? [], verification: md?.verification ?? [] }), 'text');
  }

  if (response.finishReason === 'length') return { ok: false, code: 'truncated', reason: 'the reply was cut off at the token limit before a plan could be read' };
  return { ok: false, code: 'unparseable', reason: `no plan steps found in the reply (${describe(text)})` };
}

function done(content: BidContent, via: Bid['parsedVia']): ParsedBid {
  return { ok: true, content, planText: renderPlan(content), via };
}

function normalise(c: BidContent): BidContent {
  const clean = (xs: string[]): string[] => xs.map((x) => x.trim()).filter(Boolean);
  return { summary: c.summary.trim(), steps: clean(c.steps), files: clean(c.files), risks: clean(c.risks), verification: clean(c.verification) };
}

function fromObject(o: Record<string, unknown>): BidContent {
  const summary = pick(o, ALIASES.summary);
  return normalise({
    summary: typeof summary === 'string' ? summary : '',
    steps: toStringList(pick(o, ALIASES.steps)),
    files: toStringList(pick(o, ALIASES.files)),
    risks: toStringList(pick(o, ALIASES.risks)),
    verification: toStringList(pick(o, ALIASES.verification)),
  });
}

type Field = keyof BidContent;

/** Reads `## Steps` / `**Risks:**` / `Files:` sections and their list items. */
function fromMarkdown(text: string): BidContent | undefined {
  const sections = new Map<Field, string[]>();
  let current: Field | undefined;
  let preamble: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const heading = headingOf(line);
    const field = heading ? fieldOf(heading.title) : undefined;
    if (heading && field) {
      current = field;
      sections.set(field, heading.rest ? [heading.rest] : []);
      continue;
    }
    if (current) sections.get(current)?.push(line);
    else preamble.push(line);
  }
  if (sections.size === 0) return undefined;
  preamble = preamble.filter((l) => l.trim() && !/^\s*#/.test(l));
  const list = (f: Field): string[] => splitListText((sections.get(f) ?? []).join('\n'));
  return normalise({
    summary: (sections.get('summary') ?? preamble).join(' ').trim(),
    steps: list('steps'),
    files: list('files').map((f) => f.replace(/^`|`$/g, '')),
    risks: list('risks'),
    verification: list('verification'),
  });
}

/** `## Steps`, `**Risks:**`, `**Files**: a, b` or `Verification:` — a section title and any text after it. */
function headingOf(line: string): { title: string; rest: string } | undefined {
  const hash = /^\s*#{1,6}\s+(.+?)\s*:?\s*$/.exec(line);
  if (hash?.[1]) return { title: hash[1], rest: '' };
  const bold = /^\s*(?:\*\*|__)([^*_]+?)\s*:?\s*(?:\*\*|__)\s*:?\s*(.*)$/.exec(line);
  if (bold?.[1]) return { title: bold[1], rest: bold[2] ?? '' };
  const plain = /^\s*([A-Za-z][A-Za-z /&-]{1,40}):\s*(.*)$/.exec(line);
  if (plain?.[1]) return { title: plain[1], rest: plain[2] ?? '' };
  return undefined;
}

function fieldOf(title: string): Field | undefined {
  const norm = title.toLowerCase().replace(/[^a-z]/g, '');
  for (const [field, aliases] of Object.entries(ALIASES) as [Field, readonly string[]][]) if (aliases.includes(norm)) return field;
  return undefined;
}

/** The plan as markdown: what the jury reads and what the winner executes. */
export function renderPlan(c: BidContent): string {
  const list = (xs: string[], numbered = false): string => xs.map((x, i) => `${numbered ? `${i + 1}.` : '-'} ${x}`).join('\n');
  const parts = [c.summary ? `**Approach:** ${c.summary}` : '', `**Steps**\n${list(c.steps, true)}`];
  if (c.files.length) parts.push(`**Files**\n${list(c.files.map((f) => `\`${f}\``))}`);
  if (c.risks.length) parts.push(`**Risks**\n${list(c.risks)}`);
  if (c.verification.length) parts.push(`**Verification**\n${list(c.verification)}`);
  return parts.filter(Boolean).join('\n\n');
}

function describe(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `${text.length} characters starting "${oneLine.slice(0, 60)}${oneLine.length > 60 ? '…' : ''}"`;
}
