import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import { anthropicCacheMinTokens, openAICachedTokens, promptBlocks, tokensOfChars, UsageModel } from '../../../fixtures/loopback/usageModel';

const text = (chars: number, seed = 'a') => seed.repeat(chars);

describe('loopback modelled usage', () => {
  it('counts input from the request and output from the reply at 4 characters a token', () => {
    const m = new UsageModel();
    const body = { model: 'gpt-x', messages: [{ role: 'user', content: text(400) }] };
    const u = m.usageFor('openai-chat', body, 81);
    const prompt = promptBlocks('openai-chat', body).map((b) => b.text).join('\n');
    assert.equal(u.input, Math.ceil(prompt.length / 4));
    assert.equal(u.output, 21);
    assert.equal(u.cachedInput, 0);
  });

  it('OpenAI: nothing cached below 1,024 shared tokens, then 128-token steps, per model', () => {
    assert.equal(openAICachedTokens(1023), 0);
    assert.equal(openAICachedTokens(1024), 1024);
    assert.equal(openAICachedTokens(1151), 1024);
    assert.equal(openAICachedTokens(1152), 1152);
    const m = new UsageModel();
    const shared = text(8_000);
    const ask = (model: string, tail: string) => m.usageFor('openai-chat', { model, messages: [{ role: 'user', content: shared + tail }] }, 10);
    assert.equal(ask('gpt-x', 'first').cachedInput, 0);
    const second = ask('gpt-x', 'second');
    // "user: " + 8,000 shared characters = 2,001 whole tokens shared → 1,024 + 7·128.
    assert.equal(second.cachedInput, openAICachedTokens(Math.floor((6 + 8_000) / 4)));
    assert.equal(second.cachedInput, 1_920);
    assert.ok(second.cachedInput <= second.input);
    assert.equal(ask('gpt-other', 'third').cachedInput, 0, 'another model has its own cache');
    // A short shared prefix is never cached.
    const short = new UsageModel();
    short.usageFor('openai-chat', { model: 'g', messages: [{ role: 'user', content: text(3_000) + 'x' }] }, 1);
    assert.equal(short.usageFor('openai-chat', { model: 'g', messages: [{ role: 'user', content: text(3_000) + 'y' }] }, 1).cachedInput, 0);
  });

  it('Anthropic: only a prefix marked with cache_control is cached: written first, read after', () => {
    const m = new UsageModel();
    const system = [{ type: 'text', text: text(6_000), cache_control: { type: 'ephemeral' } }];
    const ask = (tail: string, sys: unknown = system) => m.usageFor('anthropic-messages', { model: 'claude-sonnet-4-5', system: sys, messages: [{ role: 'user', content: tail }] }, 40);
    const first = ask('judge bid A');
    const prefixTokens = tokensOfChars(promptBlocks('anthropic-messages', { system }).map((b) => b.text).join('\n').length);
    assert.equal(first.cacheWrite, prefixTokens);
    assert.equal(first.cachedInput, 0);
    const second = ask('judge bid B');
    assert.equal(second.cachedInput, prefixTokens);
    assert.equal(second.cacheWrite, 0);
    // input_tokens is what is neither read nor written: the unmarked tail.
    assert.equal(second.input + second.cachedInput + second.cacheWrite, tokensOfChars(promptBlocks('anthropic-messages', { system, messages: [{ role: 'user', content: 'judge bid B' }] }).map((b) => b.text).join('\n').length));
    // The same prefix without the mark is never cached.
    const unmarked = ask('judge bid C', [{ type: 'text', text: text(6_000) }]);
    assert.equal(unmarked.cachedInput, 0);
    assert.equal(unmarked.cacheWrite, 0);
  });

  it('Anthropic: a marked prefix below the model minimum is not cached (Haiku needs 2,048 tokens)', () => {
    assert.equal(anthropicCacheMinTokens('claude-haiku-4-5'), 2048);
    const m = new UsageModel();
    const system = [{ type: 'text', text: text(6_000), cache_control: { type: 'ephemeral' } }];
    const u = m.usageFor('anthropic-messages', { model: 'claude-haiku-4-5', system, messages: [{ role: 'user', content: 'x' }] }, 1);
    assert.equal(u.cacheWrite, 0);
  });

  it('the server reports modelled usage on the wire and answers from a responder before the script', async () => {
    const s = await LoopbackServer.start({ default: { kind: 'chat', text: 'scripted' } });
    s.modelUsage().respondWith((req) => (req.rawBody.includes('dynamic') ? { kind: 'chat', text: 'from the responder' } : undefined));
    try {
      const post = async (content: string) => {
        const res = await fetch(`${s.openaiBaseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content }] }) });
        return (await res.json()) as { choices: { message: { content: string } }[]; usage: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details: { cached_tokens: number } } };
      };
      const a = await post(`dynamic ${text(6_000)}`);
      assert.equal(a.choices[0]?.message.content, 'from the responder');
      assert.equal(a.usage.completion_tokens, tokensOfChars('from the responder'.length));
      const b = await post(`dynamic ${text(6_000)} again`);
      assert.ok(b.usage.prompt_tokens_details.cached_tokens >= 1024);
      assert.equal((await post('plain')).choices[0]?.message.content, 'scripted');
    } finally {
      await s.close();
    }
  });
});
