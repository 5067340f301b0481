// An agent as `secretsapi run` starts it: the SDK reads OPENAI_BASE_URL and OPENAI_API_KEY (a
// scoped token) from the environment, and never sees the OpenAI key. It streams CALLS completions
// PAUSE_MS apart, so with a short --ttl it outlives its first token.
import OpenAI from "openai";

const client = new OpenAI();
const calls = Number(process.env.CALLS ?? 1);
for (let n = 0; n < calls; n++) {
  if (n > 0) await new Promise((r) => setTimeout(r, Number(process.env.PAUSE_MS ?? 2000)));
  const stream = await client.chat.completions.create({
    model: process.env.MODEL ?? "gpt-4o-mini",
    messages: [{ role: "user", content: "Say hello in five words." }],
    stream: true,
  });
  let text = "";
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? "";
  }
  console.log(`call ${n + 1}: ${text}`);
}
