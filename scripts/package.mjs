// Packages the already-built dist/ into out/<name>-<version>.vsix with @vscode/vsce. Run through `npm run package`,
// which builds with --production first. Dependencies are bundled by esbuild, so vsce packs no node_modules.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, 'out', `${pkg.name}-${pkg.version}.vsix`);
fs.mkdirSync(path.dirname(out), { recursive: true });
const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
// Every script the build wrote must ship: a bundle loaded lazily (the core, an SDK) that .vscodeignore leaves out
// would only fail at its first use, in the user's editor.
const listed = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
if (listed.status !== 0) {
  process.stderr.write(listed.stderr);
  process.exit(listed.status ?? 1);
}
const shipped = new Set(listed.stdout.split('\n').map((l) => l.trim()));
const built = fs.readdirSync(path.join(root, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).map((f) => `dist/${f.split(path.sep).join('/')}`);
const left = built.filter((f) => !shipped.has(f));
if (left.length) {
  console.error(`.vscodeignore leaves built scripts out of the .vsix: ${left.join(', ')}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out], {
  cwd: root,
  stdio: 'inherit',
});
if (r.status !== 0) process.exit(r.status ?? 1);
const bytes = fs.statSync(out).size;
console.log(`packaged ${path.relative(root, out)} (${(bytes / 1024).toFixed(0)} KiB)`);
