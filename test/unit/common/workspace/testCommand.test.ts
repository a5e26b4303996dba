import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseTestCommand, detectTestCommand, type WorkspaceFiles } from '../../../../src/common/workspace/testCommand';

/** A workspace root given as file name → text (folders as `name/` → ''). */
function layout(files: Record<string, string>): WorkspaceFiles {
  return {
    rootEntries: () => Promise.resolve(Object.keys(files)),
    read: (name) => Promise.resolve(files[name]),
  };
}

const pkg = (scripts: Record<string, string>, extra: Record<string, unknown> = {}) => JSON.stringify({ name: 'x', scripts, ...extra });

describe('test command detection on sample layouts', () => {
  const cases: [string, Record<string, string>, string | undefined][] = [
    ['npm with a lockfile', { 'package.json': pkg({ test: 'vitest run' }), 'package-lock.json': '{}' }, 'npm test'],
    ['npm without a lockfile', { 'package.json': pkg({ test: 'node --test' }) }, 'npm test'],
    ['pnpm', { 'package.json': pkg({ test: 'jest' }), 'pnpm-lock.yaml': '' }, 'pnpm test'],
    ['yarn', { 'package.json': pkg({ test: 'jest' }), 'yarn.lock': '' }, 'yarn test'],
    ['bun (the script, not bun\'s own runner)', { 'package.json': pkg({ test: 'bun test' }), 'bun.lockb': '' }, 'bun run test'],
    ['packageManager field beats a stray lockfile', { 'package.json': pkg({ test: 'jest' }, { packageManager: 'pnpm@9.1.0' }), 'package-lock.json': '{}' }, 'pnpm test'],
    ['npm init placeholder is no test script', { 'package.json': pkg({ test: 'echo "Error: no test specified" && exit 1' }) }, undefined],
    ['package.json without scripts, Makefile with a test target', { 'package.json': '{"name":"x"}', Makefile: 'CC=gcc\n\ntest: build\n\t./run-tests\n' }, 'make test'],
    ['Makefile whose "test" is only a variable', { Makefile: 'test := value\nall:\n\techo\n' }, undefined],
    ['cargo', { 'Cargo.toml': '[package]\nname = "x"\n', 'src/': '' }, 'cargo test'],
    ['go', { 'go.mod': 'module example.com/x\n' }, 'go test ./...'],
    ['pytest from pyproject', { 'pyproject.toml': '[project]\nname="x"\n[tool.pytest.ini_options]\naddopts="-q"\n' }, 'pytest'],
    ['pytest.ini', { 'pytest.ini': '[pytest]\n' }, 'pytest'],
    ['setup.cfg [tool:pytest]', { 'setup.cfg': '[metadata]\nname = x\n[tool:pytest]\ntestpaths = tests\n' }, 'pytest'],
    ['tox.ini [pytest]', { 'tox.ini': '[tox]\n[pytest]\n' }, 'pytest'],
    ['a tests folder in a Python project', { 'requirements.txt': 'requests\n', 'tests/': '' }, 'pytest'],
    ['a tests folder alone says nothing', { 'tests/': '' }, undefined],
    ['pytest through uv', { 'pyproject.toml': '[tool.pytest.ini_options]\n', 'uv.lock': '' }, 'uv run pytest'],
    ['pytest through poetry', { 'pytest.ini': '', 'poetry.lock': '' }, 'poetry run pytest'],
    ['gradle wrapper', { 'build.gradle.kts': '', gradlew: '' }, './gradlew test'],
    ['gradle without wrapper', { 'build.gradle': '' }, 'gradle test'],
    ['maven wrapper', { 'pom.xml': '<project/>', mvnw: '' }, './mvnw test'],
    ['maven', { 'pom.xml': '<project/>' }, 'mvn test'],
    ['an empty folder', {}, undefined],
    ['broken package.json falls through to cargo', { 'package.json': '{ not json', 'Cargo.toml': '' }, 'cargo test'],
  ];
  for (const [name, files, expected] of cases) {
    it(name, async () => {
      assert.equal((await detectTestCommand(layout(files)))?.command, expected);
    });
  }

  it('says why, naming the files', async () => {
    const d = await detectTestCommand(layout({ 'package.json': pkg({ test: 'jest' }), 'yarn.lock': '' }));
    assert.deepEqual(d, { command: 'yarn test', because: 'package.json "test" script, yarn.lock' });
  });

  it('the setting overrides detection; an empty setting means detect', () => {
    const detected = { command: 'cargo test', because: 'Cargo.toml' };
    assert.deepEqual(chooseTestCommand('  make check ', detected), { command: 'make check', because: 'sale.agent.testCommand', fromSetting: true });
    assert.deepEqual(chooseTestCommand('', detected), { ...detected, fromSetting: false });
    assert.equal(chooseTestCommand(' ', undefined), undefined);
  });
});
