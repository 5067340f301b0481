// Checks that the official OpenAI SDK raises when the broker cuts a stream (the token revoked
// mid-way), rather than ending the loop quietly. Run by OpenAiSdkStreamCutTest in the server
// module: it prints FIRST after the first chunk (the test then revokes the token), and exits 1
// with the error's class and message when the SDK raises, 0 when the stream just ended.
import OpenAI from "openai";

const client = new OpenAI({
  baseURL: `${process.env.SECRETSAPI_ADDR}/proxy/${process.env.SECRETSAPI_UPSTREAM}/v1`,
  apiKey: process.env.SECRETSAPI_TOKEN,
  maxRetries: 0,
});
try {
  const stream = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Count slowly." }],
    stream: true,
  });
  let n = 0;
  for await (const chunk of stream) {
    process.stdout.write(`chunk ${chunk.choices[0].delta.content}\n`);
    if (n++ === 0) {
      process.stdout.write("FIRST\n");
    }
  }
  process.stdout.write("the stream ended without an error\n");
  process.exit(0);
} catch (e) {
  process.stderr.write(`${e.constructor.name}: ${e.message}\n`);
  process.exit(1);
}
