import * as z from 'zod';
import type { ToolSpec } from '../providers/types';

/** The names of the agent's tools; the loop and the text format accept only these. */
export const toolNames = ['list_dir', 'read_file', 'search', 'propose_edit', 'create_file', 'delete_file', 'run_command', 'finish'] as const;
export type ToolName = (typeof toolNames)[number];

// Numbers may arrive as strings from the text format ("<startLine>10</startLine>"), so they are coerced.
const lineNumber = z.coerce.number().int().min(1);
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);

/** Argument schemas, validated on every call; a failure goes back to the model as an error result. */
export const toolArgs = {
  list_dir: z.object({ path: z.string().default('.') }),
  read_file: z.object({ path: z.string().min(1), startLine: lineNumber.optional(), endLine: lineNumber.optional() }),
  search: z.object({
    query: z.string().min(1),
    isRegex: bool.optional(),
    caseSensitive: bool.optional(),
    under: z.string().optional(),
  }),
  propose_edit: z
    .object({
      path: z.string().min(1),
      edits: z.array(z.object({ search: z.string(), replace: z.string() })).min(1).optional(),
      content: z.string().optional(),
    })
    .refine((a) => (a.edits === undefined) !== (a.content === undefined), { message: 'give either "edits" or "content", not both and not neither' }),
  create_file: z.object({ path: z.string().min(1), content: z.string() }),
  delete_file: z.object({ path: z.string().min(1) }),
  run_command: z.object({ command: z.string().min(1), cwd: z.string().default('.') }),
  finish: z.object({ summary: z.string().min(1) }),
} satisfies Record<ToolName, z.ZodType>;

export type ToolArgs = { [K in ToolName]: z.infer<(typeof toolArgs)[K]> };

const str = (description: string) => ({ type: 'string', description });
const int = (description: string) => ({ type: 'integer', minimum: 1, description });

/** JSON schemas sent to models with native tool calling (OpenAI tools, Anthropic tool_use). */
export const toolSpecs: ToolSpec[] = [
  {
    name: 'list_dir',
    description: 'List the entries of a workspace folder. Folders end with "/".',
    parameters: { type: 'object', properties: { path: str('Workspace-relative folder; "." is the root.') }, required: [] },
  },
  {
    name: 'read_file',
    description: 'Read a text file, optionally only a range of lines (1-based, inclusive).',
    parameters: {
      type: 'object',
      properties: { path: str('Workspace-relative file path.'), startLine: int('First line to read.'), endLine: int('Last line to read.') },
      required: ['path'],
    },
  },
  {
    name: 'search',
    description: 'Search the text files of the workspace; returns path:line: text for each matching line.',
    parameters: {
      type: 'object',
      properties: {
        query: str('Text to find (a regular expression when isRegex is true).'),
        isRegex: { type: 'boolean' },
        caseSensitive: { type: 'boolean' },
        under: str('Only search under this workspace-relative folder.'),
      },
      required: ['query'],
    },
  },
  {
    name: 'propose_edit',
    description:
      'Propose an edit to an existing file. Either "edits": search/replace blocks applied in order, each search text copied exactly from the file and occurring exactly once; or "content": the whole new file. Nothing is written until the user accepts.',
    parameters: {
      type: 'object',
      properties: {
        path: str('Workspace-relative file path.'),
        edits: {
          type: 'array',
          items: { type: 'object', properties: { search: str('Exact existing text.'), replace: str('Replacement text.') }, required: ['search', 'replace'] },
        },
        content: str('The whole new content of the file.'),
      },
      required: ['path'],
    },
  },
  {
    name: 'create_file',
    description: 'Propose a new file with the given content.',
    parameters: { type: 'object', properties: { path: str('Workspace-relative path.'), content: str('The file content.') }, required: ['path', 'content'] },
  },
  {
    name: 'delete_file',
    description: 'Propose deleting a file.',
    parameters: { type: 'object', properties: { path: str('Workspace-relative path.') }, required: ['path'] },
  },
  {
    name: 'run_command',
    description: 'Run a shell command in the workspace after the user approves it; returns exit code and output.',
    parameters: { type: 'object', properties: { command: str('The command line.'), cwd: str('Workspace-relative working folder.') }, required: ['command'] },
  },
  {
    name: 'finish',
    description: 'End the task with a short summary of what was changed and why.',
    parameters: { type: 'object', properties: { summary: str('What you did.') }, required: ['summary'] },
  },
];

/** Maps a model's spelling of a tool name ("Read-File", "readFile") onto ours; undefined when unknown. */
export function canonicalToolName(name: string): ToolName | undefined {
  const snake = name
    .trim()
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
  return (toolNames as readonly string[]).includes(snake) ? (snake as ToolName) : undefined;
}
