/**
 * Finds the command that runs a workspace's tests from the files at its root, so "Run tests after apply" works in
 * a Python, Rust or Go project as well as in an npm one. Pure: the files are read through a small port.
 */

/** The few reads detection needs, relative to the workspace folder's root. */
export interface WorkspaceFiles {
  /** Names of the entries directly at the root; folders end with `/`. */
  rootEntries(): Promise<readonly string[]>;
  /** A root file's text, or undefined when it is absent or unreadable. */
  read(name: string): Promise<string | undefined>;
}

/** A detected test command and the evidence for it, shown to the user before it runs. */
export interface DetectedTestCommand {
  command: string;
  /** The files that gave it away, e.g. `package.json "test" script, pnpm-lock.yaml`. */
  because: string;
}

/** npm init's placeholder script fails on purpose; a project with only that has no tests to run. */
const NPM_PLACEHOLDER = /no test specified/;

type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** `<pm> test` for npm, pnpm and yarn; `bun test` is bun's own runner, so bun runs the script with `bun run test`. */
const RUN_TEST_SCRIPT: Record<PackageManager, string> = { npm: 'npm test', pnpm: 'pnpm test', yarn: 'yarn test', bun: 'bun run test' };

const LOCKFILES: readonly [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

function packageManager(pkg: Record<string, unknown>, names: ReadonlySet<string>): { pm: PackageManager; because?: string } {
  // Corepack's `packageManager` field is the project's own statement; a lockfile is the next best evidence.
  const declared = typeof pkg.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@/.exec(pkg.packageManager)?.[1] : undefined;
  if (declared) return { pm: declared as PackageManager, because: `"packageManager": "${String(pkg.packageManager)}"` };
  const lock = LOCKFILES.find(([file]) => names.has(file));
  return lock ? { pm: lock[1], because: lock[0] } : { pm: 'npm' };
}

async function fromPackageJson(files: WorkspaceFiles, names: ReadonlySet<string>): Promise<DetectedTestCommand | undefined> {
  if (!names.has('package.json')) return undefined;
  let pkg: unknown;
  try {
    pkg = JSON.parse((await files.read('package.json')) ?? '');
  } catch {
    return undefined;
  }
  if (!pkg || typeof pkg !== 'object') return undefined;
  const scripts = (pkg as { scripts?: unknown }).scripts;
  const test = scripts && typeof scripts === 'object' ? (scripts as Record<string, unknown>).test : undefined;
  if (typeof test !== 'string' || !test.trim() || NPM_PLACEHOLDER.test(test)) return undefined;
  const { pm, because } = packageManager(pkg as Record<string, unknown>, names);
  return { command: RUN_TEST_SCRIPT[pm], because: ['package.json "test" script', ...(because ? [because] : [])].join(', ') };
}

async function fromMakefile(files: WorkspaceFiles, names: ReadonlySet<string>): Promise<DetectedTestCommand | undefined> {
  const makefile = ['GNUmakefile', 'Makefile', 'makefile'].find((n) => names.has(n));
  if (!makefile) return undefined;
  const text = (await files.read(makefile)) ?? '';
  // A rule line `test:` (not `test := value`, which is a variable).
  return /^test\s*:(?!=)/m.test(text) ? { command: 'make test', because: `${makefile} "test" target` } : undefined;
}

async function fromPython(files: WorkspaceFiles, names: ReadonlySet<string>): Promise<DetectedTestCommand | undefined> {
  const evidence: string[] = [];
  if (names.has('pytest.ini')) evidence.push('pytest.ini');
  if (names.has('conftest.py')) evidence.push('conftest.py');
  const sections: [string, RegExp][] = [
    ['pyproject.toml', /^\[tool\.pytest|^\s*["']?pytest\b/m],
    ['setup.cfg', /^\[tool:pytest\]/m],
    ['tox.ini', /^\[pytest\]/m],
  ];
  for (const [file, pattern] of sections) if (names.has(file) && pattern.test((await files.read(file)) ?? '')) evidence.push(file);
  const python = names.has('pyproject.toml') || names.has('setup.py') || names.has('setup.cfg') || names.has('requirements.txt');
  if (!evidence.length && python && names.has('tests/')) evidence.push('tests/');
  if (!evidence.length) return undefined;
  // Run pytest in the project's own environment when its tool is evident.
  const runner = names.has('uv.lock') ? 'uv run pytest' : names.has('poetry.lock') ? 'poetry run pytest' : 'pytest';
  return { command: runner, because: evidence.join(', ') };
}

/**
 * The command that runs this workspace's tests, or undefined when nothing at its root says. In order: a
 * package.json `test` script (with the package manager its lockfile names), a Makefile `test` target, Cargo, Go,
 * pytest, Gradle, Maven.
 */
export async function detectTestCommand(files: WorkspaceFiles): Promise<DetectedTestCommand | undefined> {
  const names = new Set(await files.rootEntries());
  const fromScript = (await fromPackageJson(files, names)) ?? (await fromMakefile(files, names));
  if (fromScript) return fromScript;
  if (names.has('Cargo.toml')) return { command: 'cargo test', because: 'Cargo.toml' };
  if (names.has('go.mod')) return { command: 'go test ./...', because: 'go.mod' };
  const python = await fromPython(files, names);
  if (python) return python;
  const gradle = ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'].find((n) => names.has(n));
  if (gradle) return names.has('gradlew') ? { command: './gradlew test', because: `${gradle}, gradlew` } : { command: 'gradle test', because: gradle };
  if (names.has('pom.xml')) return names.has('mvnw') ? { command: './mvnw test', because: 'pom.xml, mvnw' } : { command: 'mvn test', because: 'pom.xml' };
  return undefined;
}

/** The command to run: the setting when the user set one (it always wins), else the detected one. */
export function chooseTestCommand(setting: string, detected: DetectedTestCommand | undefined): (DetectedTestCommand & { fromSetting: boolean }) | undefined {
  const own = setting.trim();
  if (own) return { command: own, because: 'sale.agent.testCommand', fromSetting: true };
  return detected && { ...detected, fromSetting: false };
}
