import fs from 'node:fs';
import * as vscode from 'vscode';
import type { SaleApi } from '../../src/vscode/api';

/**
 * Runs inside the real extension host for `npm run bench`: activates SALE cold and writes what activate() measured
 * (module evaluation to the end of activate) and the wall time of the activate() call to $SALE_BENCH_OUT.
 */
export async function run(): Promise<void> {
  const out = process.env.SALE_BENCH_OUT;
  if (!out) throw new Error('SALE_BENCH_OUT is not set');
  const ext = vscode.extensions.getExtension<SaleApi>('sale-dev.sale-vscode');
  if (!ext) throw new Error('SALE is not installed in this host');
  if (ext.isActive) throw new Error('SALE was already active: activation would not be measured cold');
  const t0 = performance.now();
  const api = await ext.activate();
  const wallMs = performance.now() - t0;
  fs.writeFileSync(out, JSON.stringify({ activationMs: api.activationMs, activateCallMs: wallMs }));
}
