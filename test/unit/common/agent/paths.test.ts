import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PathRefusedError } from '../../../../src/common/agent/errors';
import { normalizeWorkspacePath } from '../../../../src/common/agent/paths';

const refused = (p: string, reason: PathRefusedError['reason']) =>
  assert.throws(() => normalizeWorkspacePath(p), (e) => e instanceof PathRefusedError && e.reason === reason, `${p} should be refused (${reason})`);

describe('normalizeWorkspacePath', () => {
  it('normalises relative paths', () => {
    assert.equal(normalizeWorkspacePath('./src//a.ts'), 'src/a.ts');
    assert.equal(normalizeWorkspacePath('src\\b\\c.ts'), 'src/b/c.ts');
    assert.equal(normalizeWorkspacePath('src/x/../a.ts'), 'src/a.ts');
    assert.equal(normalizeWorkspacePath(''), '.');
    assert.equal(normalizeWorkspacePath('.'), '.');
    assert.equal(normalizeWorkspacePath('.github/workflows/ci.yml'), '.github/workflows/ci.yml');
    assert.equal(normalizeWorkspacePath('.gitignore'), '.gitignore');
  });
  it('refuses traversal out of the workspace', () => {
    refused('..', 'escape');
    refused('../x', 'escape');
    refused('src/../../x', 'escape');
    refused('..\\..\\x', 'escape');
  });
  it('refuses absolute and home paths', () => {
    refused('/etc/passwd', 'absolute');
    refused('\\\\server\\share', 'absolute');
    refused('C:\\Windows', 'absolute');
    refused('c:/x', 'absolute');
    refused('~/.ssh/id_rsa', 'absolute');
  });
  it('refuses anything in .git, in any spelling', () => {
    refused('.git', 'git');
    refused('.git/config', 'git');
    refused('sub/.git/HEAD', 'git');
    refused('.GIT/config', 'git');
    refused('.git./config', 'git');
    refused('x/../.git/hooks', 'git');
  });
  it('refuses NUL bytes', () => refused('a\0b', 'invalid'));
});
