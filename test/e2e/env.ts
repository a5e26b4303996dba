/** What runE2e.ts hands each end-to-end test: a running code-server with the .vsix installed, and a workspace. */
export function e2eEnv(): { base: string; workspace: string; runDir: string; userData: string; loopback: { url: string; openaiBaseUrl: string } } {
  const { SALE_E2E_BASE: base, SALE_E2E_WORKSPACE: workspace, SALE_E2E_RUN_DIR: runDir, SALE_E2E_USER_DATA: userData, SALE_E2E_LOOPBACK: loopback } = process.env;
  if (!base || !workspace || !runDir || !userData || !loopback) throw new Error('Run end-to-end tests through `npm run test:e2e` (test/harness/runE2e.ts).');
  return { base, workspace, runDir, userData, loopback: JSON.parse(loopback) as { url: string; openaiBaseUrl: string } };
}

export function folderUrl(base: string, folder: string): string {
  return `${base}/?folder=${encodeURIComponent(folder)}`;
}
