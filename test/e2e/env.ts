/** What runE2e.ts hands each end-to-end test: a running code-server with the .vsix installed, and a workspace. */
export function e2eEnv(): { base: string; workspace: string; runDir: string } {
  const base = process.env.SALE_E2E_BASE;
  const workspace = process.env.SALE_E2E_WORKSPACE;
  const runDir = process.env.SALE_E2E_RUN_DIR;
  if (!base || !workspace || !runDir) throw new Error('Run end-to-end tests through `npm run test:e2e` (test/harness/runE2e.ts).');
  return { base, workspace, runDir };
}

export function folderUrl(base: string, folder: string): string {
  return `${base}/?folder=${encodeURIComponent(folder)}`;
}
