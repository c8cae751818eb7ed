// The official openai npm client against the WebApi sample's OpenAI-compatible endpoint, over loopback.
// Run by tests/LlmRouter.Samples.Tests (NpmClientTests), which starts the sample with `dotnet run` and sets:
//   LLMROUTER_BASE_URL   http://127.0.0.1:{port}/v1
//   LLMROUTER_TOKEN        the acme-chat client's demo token (key client-chat: assistant, assistant-ch)
//   LLMROUTER_TRIAL_TOKEN  the trial-app client's demo token (key trial: a budget of $0.01 a day)
//   LLMROUTER_CUTOFF_TOKEN the token of a client whose alias assistant-cutoff fails every stream after it started
//                          (added on the sample's command line, see docs/endpoint.md); without it that case is skipped
// By hand: start the sample (dotnet run --project samples/WebApi), then
//   LLMROUTER_BASE_URL=http://localhost:5080/v1 LLMROUTER_TOKEN=sk-demo-acme-chat LLMROUTER_TRIAL_TOKEN=sk-demo-trial npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = required('LLMROUTER_BASE_URL');
const apiKey = required('LLMROUTER_TOKEN');
const trialKey = required('LLMROUTER_TRIAL_TOKEN');
const cutOffKey = process.env.LLMROUTER_CUTOFF_TOKEN;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** A client with the SDK's defaults (2 retries on 429 and 5xx) whose HTTP attempts are counted. */
function countingClient(key) {
  const attempts = [];
  const client = new OpenAI({
    baseURL,
    apiKey: key,
    fetch: async (url, init) => {
      attempts.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
      return fetch(url, init);
    },
  });
  return { client, attempts };
}

test('a completion', async () => {
  const { client } = countingClient(apiKey);
  const { data: completion, response } = await client.chat.completions
    .create({ model: 'assistant', messages: [{ role: 'user', content: 'Say hello to Bern.' }] })
    .withResponse();

  const requestId = response.headers.get('x-request-id');
  assert.match(requestId, uuid);
  assert.equal(completion._request_id, requestId);
  assert.equal(completion.id, `chatcmpl-${requestId.replaceAll('-', '')}`);
  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.model, 'assistant');
  assert.equal(completion.choices.length, 1);
  const [choice] = completion.choices;
  assert.equal(choice.message.role, 'assistant');
  assert.ok(choice.message.content.length > 0);
  assert.equal(choice.finish_reason, 'stop');
  assert.ok(completion.usage.prompt_tokens > 0);
  assert.ok(completion.usage.completion_tokens > 0);
  assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
});

test('a stream with usage', async () => {
  const { client } = countingClient(apiKey);
  const stream = await client.chat.completions.create({
    model: 'assistant',
    messages: [{ role: 'user', content: 'Stream a greeting.' }],
    stream: true,
    stream_options: { include_usage: true },
  });

  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);

  const withChoices = chunks.filter((c) => c.choices.length > 0);
  const usageChunk = chunks.at(-1);
  assert.equal(withChoices[0].choices[0].delta.role, 'assistant');
  assert.ok(withChoices.slice(0, -1).every((c) => c.choices[0].finish_reason === null));
  assert.equal(withChoices.at(-1).choices[0].finish_reason, 'stop');
  const text = withChoices.map((c) => c.choices[0].delta.content ?? '').join('');
  assert.ok(text.split(' ').length > 3, `streamed text: ${text}`);
  assert.deepEqual(usageChunk.choices, []);
  assert.ok(chunks.slice(0, -1).every((c) => c.usage === null), 'usage is null on every chunk before the usage chunk');
  assert.ok(usageChunk.usage.completion_tokens > 0);
  assert.equal(usageChunk.usage.total_tokens, usageChunk.usage.prompt_tokens + usageChunk.usage.completion_tokens);
  assert.ok(chunks.every((c) => c.id === chunks[0].id && c.object === 'chat.completion.chunk'));
});

test('a whitelist refusal', async () => {
  const { client, attempts } = countingClient(apiKey);

  await assert.rejects(
    client.chat.completions.create({ model: 'summarizer', messages: [{ role: 'user', content: 'Summarize.' }] }),
    (error) => {
      assert.ok(error instanceof OpenAI.PermissionDeniedError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, 403);
      assert.equal(error.code, 'model_not_allowed');
      assert.equal(error.type, 'permission_error');
      assert.equal(error.param, 'model');
      assert.match(error.requestID, uuid);
      return true;
    },
  );
  assert.deepEqual(attempts, ['POST /v1/chat/completions']);
});

test('a budget refusal', async () => {
  // The SDK retries a 429 twice by default; x-should-retry: false tells it a budget refusal will not change.
  const { client, attempts } = countingClient(trialKey);
  assert.equal(client.maxRetries, 2);

  await assert.rejects(
    client.chat.completions.create({ model: 'assistant', messages: [{ role: 'user', content: 'Write a long essay.' }] }),
    (error) => {
      assert.ok(error instanceof OpenAI.RateLimitError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, 429);
      assert.equal(error.code, 'budget_exceeded');
      assert.equal(error.type, 'budget_exceeded');
      assert.equal(error.headers.get('x-should-retry'), 'false');
      assert.match(error.message, /daily budget/);
      assert.match(error.requestID, uuid);
      return true;
    },
  );
  assert.deepEqual(attempts, ['POST /v1/chat/completions']);
});

test('a stream that fails after it started', { skip: cutOffKey ? false : 'LLMROUTER_CUTOFF_TOKEN is not set' }, async () => {
  const { client, attempts } = countingClient(cutOffKey);
  const stream = await client.chat.completions.create({
    model: 'assistant-cutoff',
    messages: [{ role: 'user', content: 'Stream a long answer.' }],
    max_tokens: 50,
    stream: true,
  });

  // The sample sends the failure as OpenAI does, an error event; the SDK raises it while the caller iterates.
  const chunks = [];
  await assert.rejects(
    (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })(),
    (error) => {
      assert.ok(error instanceof OpenAI.APIError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, undefined);
      assert.equal(error.type, 'server_error');
      assert.equal(error.code, 'provider_error');
      return true;
    },
  );
  assert.ok(chunks.length >= 2, `chunks before the failure: ${chunks.length}`);
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  assert.ok(chunks.every((c) => c.choices[0].finish_reason === null), 'no chunk finished the answer');
  assert.deepEqual(attempts, ['POST /v1/chat/completions']);
});

test('models.list()', async () => {
  const { client } = countingClient(apiKey);

  const ids = [];
  for await (const model of client.models.list()) {
    assert.equal(model.object, 'model');
    assert.equal(model.owned_by, 'llmrouter');
    ids.push(model.id);
  }

  assert.deepEqual(ids, ['assistant', 'assistant-ch']);
});
