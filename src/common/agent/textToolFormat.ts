import { canonicalToolName, type ToolName } from './tools';

/**
 * The text tool-call format for models without native tool calling. Written for small local models: values are
 * raw text between tags, so code needs no JSON escaping. The parser is deliberately lenient (code fences,
 * quote styles, tag case, a missing closing tag at the end, a JSON body or a JSON object instead of tags).
 */

export interface TextToolCall {
  name: ToolName;
  args: Record<string, unknown>;
}

export interface TextParseResult {
  calls: TextToolCall[];
  /** Problems with blocks that looked like tool calls; sent back to the model as errors. */
  errors: string[];
}

/** The format description given to models that use the text format. */
export const textToolFormatInstructions = `## How to call tools
You call tools by writing blocks like this in your reply (no JSON needed):

<tool name="read_file">
<path>src/app.ts</path>
<startLine>1</startLine>
<endLine>40</endLine>
</tool>

Each argument is a tag holding its raw value. A single newline right after an opening tag is ignored; everything
else is taken literally, so do not indent or escape code. Examples:

<tool name="propose_edit">
<path>src/app.ts</path>
<search>
const retries = 3;
</search>
<replace>
const retries = 5;
</replace>
</tool>

Repeat <search>/<replace> pairs for several edits to the same file, or give <content> instead of them to replace
the whole file. Finish with:

<tool name="finish">
<summary>What you changed and why.</summary>
</tool>

You may write several tool blocks in one reply; they run in order. Results come back in <tool_result> blocks.
Do not invent results: wait for them.`;

const toolBlock = /<(tool_call|tool|function_call|invoke)\b([^>]*)>([\s\S]*?)(?:<\/\1\s*>|(?=<(?:tool_call|tool|function_call|invoke)\b)|$)/gi;
const argTag = /<([A-Za-z_][\w-]*)\s*>([\s\S]*?)<\/\1\s*>/g;
const rawValueArgs = new Set(['search', 'replace', 'content']);

/** Drops one code fence around a value (```lang ... ```), which models add out of habit. */
function unfence(value: string): string {
  const m = /^\s*```[\w+-]*[ \t]*\r?\n([\s\S]*?\r?\n)?[ \t]*```\s*$/.exec(value);
  return m ? (m[1] ?? '') : value;
}

function cleanRaw(value: string): string {
  const unfenced = unfence(value);
  // Only the newline that follows the opening tag is formatting; the rest of the text is the model's content.
  return unfenced === value ? value.replace(/^\r?\n/, '') : unfenced;
}

function argsFromTags(body: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  // A <replace> belongs to the <search> before it; a lone <replace> keeps an empty search (reported by the tool).
  const edits: { search: string; replace: string | undefined }[] = [];
  for (const m of body.matchAll(argTag)) {
    const key = (m[1] ?? '').toLowerCase();
    const raw = m[2] ?? '';
    const last = edits[edits.length - 1];
    if (key === 'search') edits.push({ search: cleanRaw(raw), replace: undefined });
    else if (key === 'replace' && last && last.replace === undefined) last.replace = cleanRaw(raw);
    else if (key === 'replace') edits.push({ search: '', replace: cleanRaw(raw) });
    else args[canonicalArgName(key)] = rawValueArgs.has(key) ? cleanRaw(raw) : raw.trim();
  }
  if (edits.length > 0) args.edits = edits; // a missing <replace> stays undefined and fails validation rather than deleting text
  return args;
}

function canonicalArgName(key: string): string {
  const known: Record<string, string> = { startline: 'startLine', endline: 'endLine', isregex: 'isRegex', casesensitive: 'caseSensitive', file: 'path', filepath: 'path', file_path: 'path' };
  return known[key] ?? key;
}

/** Finds balanced top-level `{...}` spans, respecting JSON strings. */
function jsonObjects(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"' && depth > 0) inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) out.push(text.slice(start, i + 1));
    }
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{"tool": "read_file", "arguments": {...}}` and its common variants; undefined when it is not a call. */
function callFromJson(obj: Record<string, unknown>): { name: string; args: unknown } | undefined {
  const name = obj.tool ?? obj.name ?? obj.function ?? obj.tool_name;
  if (typeof name !== 'string') return undefined;
  let args: unknown = obj.arguments ?? obj.args ?? obj.parameters ?? obj.input ?? {};
  if (typeof args === 'string') {
    try {
      args = JSON.parse(args) as unknown;
    } catch {
      return { name, args: undefined };
    }
  }
  return { name, args };
}

/** Parses every tool call in a reply written in the text format (or as loose JSON objects). */
export function parseTextToolCalls(text: string): TextParseResult {
  const calls: TextToolCall[] = [];
  const errors: string[] = [];
  const add = (rawName: string, args: unknown) => {
    const name = canonicalToolName(rawName);
    if (!name) errors.push(`Unknown tool "${rawName}".`);
    else if (!isRecord(args)) errors.push(`The arguments of ${name} must be named values.`);
    else calls.push({ name, args });
  };
  let sawBlock = false;
  for (const m of text.matchAll(toolBlock)) {
    sawBlock = true;
    const attrs = m[2] ?? '';
    let body = m[3] ?? '';
    let name = /name\s*=\s*["']?([\w-]+)/i.exec(attrs)?.[1];
    if (!name) {
      // `<tool>read_file ...` or `<tool><name>read_file</name>...`
      const tagged = /<name>\s*([\w-]+)\s*<\/name>/i.exec(body);
      const firstWord = /^\s*([\w-]+)\s*(?:\r?\n|$)/.exec(body);
      name = tagged?.[1] ?? firstWord?.[1];
      if (tagged) body = body.replace(tagged[0], '');
      else if (firstWord) body = body.slice(firstWord[0].length);
    }
    if (!name) {
      errors.push('A <tool> block has no name="..." attribute.');
      continue;
    }
    const inner = unfence(body).trim();
    if (inner.startsWith('{')) {
      try {
        add(name, JSON.parse(inner) as unknown);
      } catch {
        errors.push(`The JSON arguments of ${name} are not valid JSON; use one tag per argument instead.`);
      }
    } else add(name, argsFromTags(body));
  }
  if (!sawBlock) {
    for (const candidate of jsonObjects(text)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(candidate);
      } catch {
        continue; // prose with braces, not a call
      }
      const call = isRecord(parsed) ? callFromJson(parsed) : undefined;
      if (call) add(call.name, call.args);
    }
  }
  return { calls, errors };
}

/** Formats one tool result for a text-format model. */
export function formatTextToolResult(name: string, content: string, isError: boolean): string {
  return `<tool_result name="${name}" status="${isError ? 'error' : 'ok'}">\n${content}\n</tool_result>`;
}
