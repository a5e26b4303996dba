// Prints the README's two setup commands (the sh block under "Develop: the two commands"), one a line, as CI must
// run them: exactly as written, except that `npm run open` gets `-- --check` (start everything, run the practice
// auction to the end, stop, exit). Fails when the block is missing or no longer holds the open and test commands,
// so CI cannot be green while the README's commands are something else.
import fs from 'node:fs';
import path from 'node:path';

const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../README.md'), 'utf8');
const section = readme.split(/^## /m).find((s) => s.startsWith('Develop: the two commands'));
const block = section?.match(/```sh\n([\s\S]*?)```/)?.[1];
if (!block) {
  console.error('readme-commands: no ```sh block under "## Develop: the two commands" in README.md');
  process.exit(1);
}
const commands = block
  .split('\n')
  .map((l) => l.replace(/\s+#.*$/, '').trim())
  .filter(Boolean);
const open = commands.filter((c) => /\bnpm run open$/.test(c));
const test = commands.filter((c) => /\bnpm test$/.test(c));
if (commands.length !== 2 || open.length !== 1 || test.length !== 1) {
  console.error(`readme-commands: expected two commands ending in "npm run open" and "npm test", found: ${JSON.stringify(commands)}`);
  process.exit(1);
}
for (const c of commands) console.log(c === open[0] ? `${c} -- --check` : c);
