// An agent that calls OpenAI through the SecretsAPI proxy. It holds a scoped, short-lived token
// for one intent; the OpenAI key stays sealed in the broker, which injects it on the way out.
//
//   SECRETSAPI_TOKEN=$(secretsapi token issue ... --output json | jq -r .token) npm start
//
// SECRETSAPI_UPSTREAM defaults to api.openai.com; point it at a local stand-in to try it offline.
import OpenAI from "openai";

const broker = process.env.SECRETSAPI_ADDR ?? "http://127.0.0.1:8200";
const upstream = process.env.SECRETSAPI_UPSTREAM ?? "api.openai.com";
const token = process.env.SECRETSAPI_TOKEN;
if (!token) {
  console.error("set SECRETSAPI_TOKEN to a scoped token with the proxy operation");
  process.exit(2);
}

const client = new OpenAI({
  baseURL: `${broker}/proxy/${upstream}/v1`,
  apiKey: token, // sent as Authorization: Bearer; the broker swaps it for the real key
});

const stream = await client.chat.completions.create({
  model: process.env.MODEL ?? "gpt-4o-mini",
  messages: [{ role: "user", content: "Say hello in five words." }],
  stream: true,
});
for await (const chunk of stream) {
  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
}
process.stdout.write("\n");
