// A stand-in for api.openai.com on loopback, for trying the example offline: it answers a
// streamed chat completion, and says which credential it received (masked).
import http from "node:http";

const port = Number(process.env.PORT ?? 9400);
http
  .createServer((req, res) => {
    const auth = req.headers["authorization"] ?? "";
    console.error(`${req.method} ${req.url} auth=${auth.slice(0, 12)}...`);
    if (req.url !== "/v1/chat/completions") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    const words = ["Hello", " from", " behind", " the", " broker."];
    let i = 0;
    const timer = setInterval(() => {
      if (i < words.length) {
        const chunk = {
          id: "chatcmpl-1",
          object: "chat.completion.chunk",
          created: 0,
          model: "gpt-4o-mini",
          choices: [{ index: 0, delta: { content: words[i++] }, finish_reason: null }],
        };
        res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      } else {
        clearInterval(timer);
        res.end("data: [DONE]\n\n");
      }
    }, 50);
  })
  .listen(port, "127.0.0.1", () => console.error(`fake OpenAI on 127.0.0.1:${port}`));
