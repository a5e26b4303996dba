// One esbuild script, two targets: the extension (Node, CommonJS, `vscode` external) and the webview bundles
// (browser). `--tests` also bundles the extension-host test suite; `--production` minifies without source maps;
// `--watch` rebuilds on change. Types are checked separately by `npm run typecheck`.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');
const withBench = args.has('--bench');

/** Webview bundles: one entry per view under src/webview/<view>/main.tsx. */
const webviews = fs
  .readdirSync(path.join(root, 'src/webview'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, 'src/webview', d.name, 'main.tsx')))
  .map((d) => d.name);

const copyStatic = {
  name: 'copy-static',
  setup(build) {
    build.onEnd(() => {
      const out = path.join(root, 'dist/webview');
      fs.mkdirSync(out, { recursive: true });
      const codicons = path.join(root, 'node_modules/@vscode/codicons/dist');
      fs.copyFileSync(path.join(codicons, 'codicon.css'), path.join(out, 'codicon.css'));
      fs.copyFileSync(path.join(codicons, 'codicon.ttf'), path.join(out, 'codicon.ttf'));
      for (const view of webviews) {
        const css = path.join(root, 'src/webview', view, `${view}.css`);
        if (fs.existsSync(css)) fs.copyFileSync(css, path.join(out, `${view}.css`));
      }
    });
  },
};

// The provider SDKs are bundles of their own (dist/sdk/*.js), loaded at the first model call: the extension's
// `import('openai')` becomes `require('./sdk/openai.js')` (src/node/providers/sdkLoader.ts).
const SDKS = { openai: 'openai', anthropic: '@anthropic-ai/sdk' };
const lazySdks = {
  name: 'lazy-sdks',
  setup(build) {
    for (const [file, pkg] of Object.entries(SDKS)) {
      const filter = new RegExp(`^${pkg.replace(/[/.]/g, '\\$&')}$`);
      build.onResolve({ filter }, (args) => {
        if (args.kind !== 'dynamic-import') throw new Error(`${args.importer} imports ${pkg} statically: load it through sdkLoader.ts`);
        return { path: `./sdk/${file}.js`, external: true };
      });
    }
  },
};

const common = { bundle: true, logLevel: 'info', sourcemap: production ? false : 'linked', minify: production, legalComments: 'none' };

const configs = [
  {
    ...common,
    // Two entries, not one bundle: `extension` (what activation loads, small) and `core` (everything else, loaded
    // with require() after activate() returns; see src/vscode/coreLoader.ts).
    entryPoints: { extension: path.join(root, 'src/vscode/extension.ts'), core: path.join(root, 'src/vscode/core.ts') },
    outdir: path.join(root, 'dist'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    mainFields: ['module', 'main'],
    plugins: [lazySdks],
    // import() of the SDK bundles as a plain require() of the file, not through Node's ESM loader.
    supported: { 'dynamic-import': false },
  },
  {
    ...common,
    entryPoints: Object.fromEntries(Object.entries(SDKS).map(([file, pkg]) => [`sdk/${file}`, pkg])),
    outdir: path.join(root, 'dist'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: Object.fromEntries(webviews.map((v) => [v, path.join(root, 'src/webview', v, 'main.tsx')])),
    outdir: path.join(root, 'dist/webview'),
    platform: 'browser',
    format: 'iife',
    target: ['chrome120'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    plugins: [copyStatic],
  },
];

if (withTests) {
  const integration = fs
    .readdirSync(path.join(root, 'test/integration'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(root, 'test/integration', f));
  configs.push({
    ...common,
    sourcemap: 'inline',
    minify: false,
    entryPoints: integration,
    outdir: path.join(root, 'out/test/integration'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  });
}

if (withBench) {
  configs.push({
    ...common,
    sourcemap: false,
    minify: false,
    entryPoints: { index: path.join(root, 'bench/host/index.ts') },
    outdir: path.join(root, 'out/bench/host'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  });
}

if (watch) {
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  if (withTests) fs.rmSync(path.join(root, 'out/test/integration'), { recursive: true, force: true });
  await Promise.all(configs.map((c) => esbuild.build(c)));
}
