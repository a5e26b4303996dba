import { usd } from '../../common/protocol/format';
import { labelQuality } from '../../common/protocol/outcomes';
import type { AuctionView } from '../../common/memory/fold';
import type { AuctionLine, OutcomeLine } from '../../common/memory/records';

/** Plain text for the memory browser; model text goes in as text (tree labels and markdown code spans). */
export function auctionSummary(view: AuctionView): { label: string; description: string; tooltip: string; icon: string; color?: string } {
  const a = view.head;
  const task = a.task.replace(/\s+/g, ' ').trim();
  const label = task.length > 80 ? `${task.slice(0, 79)}…` : task;
  const outcome = view.label ?? 'no verdict yet';
  const dollars = a.auctionDollars !== undefined || view.execution?.dollars !== undefined ? (a.auctionDollars ?? 0) + (view.execution?.dollars ?? 0) : undefined;
  const cost = dollars === undefined ? 'cost unknown' : usd(dollars);
  const winner = a.winner?.modelId ?? 'no winner';
  const quality = labelQuality(view.label);
  const icon = view.label === 'partially-accepted' ? 'circle-large-outline' : quality === 'good' ? 'pass' : quality === 'bad' ? 'error' : 'law';
  const color = icon === 'pass' ? 'testing.iconPassed' : icon === 'error' ? 'testing.iconFailed' : undefined;
  return {
    label,
    description: `${winner} · ${outcome} · ${cost}`,
    tooltip: `**${escapeMd(label)}**\n\n${new Date(a.time).toLocaleString()} · winner \`${winner}\` · ${outcome} · ${cost} · ${a.bidCount} bids`,
    icon,
    ...(color ? { color } : {}),
  };
}

export function auctionDetailsMarkdown(view: AuctionView, a: AuctionLine, outcomes: readonly OutcomeLine[]): string {
  const lines = [
    `# Auction ${a.id}`,
    '',
    `- **When**: ${a.time}`,
    `- **Winner**: ${view.head.winner?.modelId ?? 'none'}`,
    `- **Outcome**: ${view.label ?? 'no verdict yet'}`,
    `- **Auction cost**: ${usd(a.auctionDollars)}`,
    `- **Execution**: ${view.execution ? `${view.execution.inputTokens} in / ${view.execution.outputTokens} out tokens, ${view.execution.dollars === undefined ? 'cost unknown' : usd(view.execution.dollars)}` : 'not recorded'}`,
    `- **Context files**: ${a.contextFiles.join(', ') || 'none'}`,
    '',
    '## Task',
    '',
    fence(a.task),
    '',
    '## Bids',
  ];
  for (const b of [...a.bids].sort((x, y) => (x.score ?? Infinity) - (y.score ?? Infinity))) {
    const jury = Object.entries(b.jury)
      .map(([j, s]) => `${j}: ${s}`)
      .join(', ');
    lines.push(
      '',
      `### ${b.modelId}${b.refined ? ' (refined)' : ''}${b.won ? ' — winner' : ''}`,
      '',
      `score ${fmt(b.score)} · cost ${fmt(b.cost)} · value ${fmt(b.value)} · ${b.tokens ?? 'unknown'} tokens · entropy ${b.entropy === undefined ? 'n/a' : b.entropy.toFixed(3)} · jury ${jury || 'none'}`,
      '',
      fence(b.plan),
    );
  }
  if (outcomes.length) {
    lines.push('', '## Outcome events', '');
    for (const o of outcomes) lines.push(`- ${o.time}: ${o.fact.type}${o.fact.type === 'review' ? ` (${o.fact.files.map((f) => `${f.path} ${f.decision}`).join(', ')})` : ''}`);
  }
  return lines.join('\n') + '\n';
}

function fmt(n: number | undefined): string {
  return n === undefined ? 'unknown' : n.toFixed(4);
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!<>|-]/g, (c) => `\\${c}`);
}

/** A fenced block that the text cannot close early. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text}\n${f}`;
}
