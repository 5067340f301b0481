#!/usr/bin/env bash
# `secretsapi run` with the official OpenAI SDK, offline: a stand-in for api.openai.com on
# 127.0.0.1:9401, a fresh broker that may reach it, a stored key, a proxy scope and a policy; then
# `secretsapi run --ttl 3s -- node agent.mjs` streams three completions over about five seconds,
# past the first token's expiry, and every token is revoked at the end. Needs node and
# `npm install` in this folder.
set -e
cd "$(dirname "$0")/../.."
W=$(mktemp -d)
PORT=28201
cat > $W/c.yaml <<Y
listen: 127.0.0.1:$PORT
store:
  url: sqlite:$W/b.db
kek:
  file: $W/kek.json
proxy:
  insecure_upstreams: 127.0.0.1:9401
Y
(cd examples/openai-node && PORT=9401 exec node fake-openai.mjs 2> $W/fake.log) &
FAKE=$!
./secretsapi server --config $W/c.yaml > $W/out.txt 2> $W/err.txt &
BROKER=$!
trap 'kill $FAKE $BROKER 2>/dev/null || true; rm -rf "$W"' EXIT
for i in $(seq 1 60); do grep -q '^  sk_' $W/out.txt 2>/dev/null && break; sleep 0.5; done
export SECRETSAPI_TOKEN=$(grep -o 'sk_[A-Za-z0-9_-]*' $W/out.txt | head -1)
export SECRETSAPI_ADDR=http://127.0.0.1:$PORT
H=(-H "Authorization: Bearer $SECRETSAPI_TOKEN" -H 'Content-Type: application/json')
SID=$(curl -s "${H[@]}" $SECRETSAPI_ADDR/secrets -d '{"name":"openai-dev","provider":"openai","resource_class":"model-access","environment":"dev","value":"sk-proj-example-0123456789abcdef"}' | sed 's/.*"id":"\([^"]*\)".*/\1/')
curl -s "${H[@]}" $SECRETSAPI_ADDR/secrets/$SID/scope -d '{"name":"chat","operations":["proxy"],"upstream":{"hosts":["127.0.0.1:9401"],"methods":["POST"],"path_prefixes":["/v1/chat"]},"max_ttl":"15m"}' > /dev/null
curl -s -X PUT -H "Authorization: Bearer $SECRETSAPI_TOKEN" -H 'Content-Type: application/yaml' $SECRETSAPI_ADDR/policies/AGENTS --data-binary $'rules:\n  - id: root-proxy\n    effect: allow\n    principals: [root]\n    operations: [issue, proxy]\n' > /dev/null
cd examples/openai-node
CALLS=3 PAUSE_MS=2000 ../../secretsapi run --secret openai-dev --scope chat --ttl 3s -- node agent.mjs
echo "--- what the stand-in upstream received:"
cat $W/fake.log
echo "--- the tokens of the run, afterwards:"
curl -s -H "Authorization: Bearer $SECRETSAPI_TOKEN" "$SECRETSAPI_ADDR/tokens?secret_id=$SID" | grep -o '"status":"[a-z]*"' | sort | uniq -c
