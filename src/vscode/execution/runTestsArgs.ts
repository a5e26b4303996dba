/**
 * What the public `sale.runTests` command may be asked. Any extension can execute any command with any
 * arguments, so the arguments of a public command are untrusted: `skipConfirmation` from a caller would let
 * another extension run the configured test command without the user seeing it. It is honoured only when the
 * extension runs under its own test harness (VS Code's ExtensionMode.Test, which no other extension can set);
 * SALE's own flow calls `runTestsAfterApply` directly and never goes through these arguments.
 */
export function runTestsOptionsFromCommand(args: unknown, underTestHarness: boolean): { skipConfirmation: boolean } {
  const asked = typeof args === 'object' && args !== null && (args as { skipConfirmation?: unknown }).skipConfirmation === true;
  return { skipConfirmation: underTestHarness && asked };
}
