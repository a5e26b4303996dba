import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

/**
 * Entry point VS Code calls in the extension host (`extensionTestsPath`). Runs every bundled *.test.js beside this
 * file with mocha and rejects when a test fails or when no test ran at all.
 */
export async function run(): Promise<void> {
  // SALE_TEST_GREP runs only the tests whose full title matches (a quicker loop while working on one suite).
  const grep = process.env.SALE_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js'));
  for (const f of files.sort()) mocha.addFile(path.join(__dirname, f));
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const total = runner.stats?.tests ?? 0;
      // A plain closing line the CI recognises, with the real counts.
      console.log(`integration: ${total - failures} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else if (total === 0) reject(new Error('No integration test ran'));
      else resolve();
    });
  });
}
