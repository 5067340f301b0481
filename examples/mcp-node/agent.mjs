// An agent's round trip through SecretsAPI's MCP endpoint with the official TypeScript SDK:
// initialize, list its tools, request a scoped token, call an upstream through the proxy with it,
// and revoke it. The API key and the token pass through here; the secret never does.
//
//   SECRETSAPI_ADDR       the broker, such as http://127.0.0.1:8200
//   SECRETSAPI_KEY        an API key holding tokens:issue and tokens:revoke
//   SECRETSAPI_SECRET_ID  a secret with a scope named proxy
//   SECRETSAPI_UPSTREAM   the upstream host of that scope, such as api.openai.com
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const addr = process.env.SECRETSAPI_ADDR ?? "http://127.0.0.1:8200";
const key = process.env.SECRETSAPI_KEY;
const secretId = process.env.SECRETSAPI_SECRET_ID;
const upstream = process.env.SECRETSAPI_UPSTREAM ?? "api.openai.com";
if (!key || !secretId) {
  console.error("set SECRETSAPI_KEY and SECRETSAPI_SECRET_ID");
  process.exit(2);
}

const transport = new StreamableHTTPClientTransport(new URL("/mcp", addr), {
  requestInit: {
    headers: { Authorization: `Bearer ${key}`, "MCP-Client-Name": "secretsapi-mcp-node" },
  },
});
const client = new Client({ name: "secretsapi-mcp-node", version: "1.0.0" });

async function call(name, args) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) {
    throw new Error(`${name} refused: ${result.content?.[0]?.text}`);
  }
  return result.structuredContent;
}

try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  console.log("tools " + tools.map((t) => t.name).join(" "));

  const grant = await call("request_token", {
    secret_id: secretId,
    scope: "proxy",
    ttl: "5m",
    environment: "production",
  });
  console.log(`issued ${grant.token_id} ${grant.audit_ref}`);

  const answer = await call("call_upstream", {
    token: grant.token,
    method: "POST",
    host: upstream,
    path: "/v1/chat/completions",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
  });
  console.log(`upstream ${answer.status} ${answer.audit_ref}`);
  console.log("upstream body " + JSON.stringify(answer.body));

  const revoked = await call("revoke_token", { token_id: grant.token_id, reason: "done" });
  console.log(`revoked ${revoked.target} ${revoked.audit_ref}`);
} catch (e) {
  console.error(`${e.name}: ${e.message}`);
  process.exitCode = 1;
} finally {
  await client.close();
}
