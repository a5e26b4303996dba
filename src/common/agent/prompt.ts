import { textToolFormatInstructions } from './textToolFormat';
import { toolSpecs } from './tools';

export interface AgentPromptInput {
  /** The winning bid's strategy: the roadmap the agent follows. */
  plan: string;
  /** Extra context the user attached (selection, file list), already rendered as text. */
  context?: string;
  /** True when the model calls tools through the text format rather than natively. */
  textTools: boolean;
}

/**
 * The system prompt. The plan comes first and is framed as the agent's own commitment: SALE chose this model
 * because of that plan, so the run should follow it and say so when it has to deviate.
 */
export function buildSystemPrompt(input: AgentPromptInput): string {
  const parts = [
    'You are a coding agent working inside the user\'s workspace. You won an auction with the plan below; follow it as your roadmap. If the code shows the plan is wrong, adapt, and say why in your final summary.',
    `## Your plan\n${input.plan.trim()}`,
    `## Rules
- Paths are relative to the workspace root. You cannot touch .git or anything outside the workspace.
- Read a file before you edit it. Search/replace blocks must copy the existing text exactly, including indentation, and each must occur once.
- Your edits are staged for the user's review; nothing is written to disk until they accept. Re-read a file to see your staged version.
- Commands run only with the user's approval and may be denied; continue without them if so.
- Keep changes to what the task needs. When done, call finish with a short summary.`,
  ];
  if (input.textTools) {
    parts.push(textToolFormatInstructions);
    parts.push(`## Tools\n${toolSpecs.map(describeTool).join('\n')}`);
  }
  return parts.join('\n\n');
}

/** The first user message: the task and any attached context. */
export function buildTaskMessage(task: string, context?: string): string {
  return context?.trim() ? `## Task\n${task.trim()}\n\n## Context\n${context.trim()}` : `## Task\n${task.trim()}`;
}

function describeTool(spec: { name: string; description: string; parameters: Record<string, unknown> }): string {
  const props = Object.keys((spec.parameters.properties as Record<string, unknown> | undefined) ?? {});
  const required = new Set((spec.parameters.required as string[] | undefined) ?? []);
  const args = props.map((p) => (required.has(p) ? p : `${p}?`)).join(', ');
  return `- ${spec.name}(${args}): ${spec.description}`;
}
