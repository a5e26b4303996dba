import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';

// The provider SDKs are loaded at their first use (a model call, a model list), not with the extension: together
// they are about 570 KiB of its code, and reading, compiling and running them took a third of its load time. In
// the build each is its own bundle (`dist/sdk/*.js`, see scripts/build.mjs) that these dynamic imports require;
// under plain Node (the unit tests) they import the packages themselves.

/** The `openai` SDK's client class, loaded on first use. */
export async function loadOpenAI(): Promise<typeof OpenAI> {
  return (await import('openai')).default;
}

/** The `@anthropic-ai/sdk` client class, loaded on first use. */
export async function loadAnthropic(): Promise<typeof Anthropic> {
  return (await import('@anthropic-ai/sdk')).default;
}
