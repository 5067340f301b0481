#!/usr/bin/env bash
# Runs the OpenAI SDK example offline, end to end: a stand-in for api.openai.com on 127.0.0.1:9400,
# a fresh broker (SQLite in a temporary folder) that may reach it, a stored key, a proxy scope, a
# policy, a scoped token; then the SDK streams a chat completion through the broker. Needs node
# and `npm install` in this folder.
set -e
cd "$(dirname "$0")/../.."
W=$(mktemp -d)
PORT=28200
cat > $W/c.yaml <<Y
listen: 127.0.0.1:$PORT
store:
  url: sqlite:$W/b.db
kek:
  file: $W/kek.json
proxy:
  insecure_upstreams: 127.0.0.1:9400
Y
(cd examples/openai-node && PORT=9400 exec node fake-openai.mjs 2> $W/fake.log) &
FAKE=$!
./secretsapi server --config $W/c.yaml > $W/out.txt 2> $W/err.txt &
BROKER=$!
trap 'kill $FAKE $BROKER 2>/dev/null || true; rm -rf "$W"' EXIT
for i in $(seq 1 60); do grep -q '^  sk_' $W/out.txt 2>/dev/null && break; sleep 0.5; done
KEY=$(grep -o 'sk_[A-Za-z0-9_-]*' $W/out.txt | head -1)
A=http://127.0.0.1:$PORT
SID=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' $A/secrets -d '{"name":"openai-dev","provider":"openai","resource_class":"model-access","environment":"dev","value":"sk-proj-example-0123456789abcdef"}' | sed 's/.*"id":"\([^"]*\)".*/\1/')
curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' $A/secrets/$SID/scope -d '{"name":"chat","operations":["proxy"],"upstream":{"hosts":["127.0.0.1:9400"],"methods":["POST"],"path_prefixes":["/v1/chat"]},"max_ttl":"15m"}' > /dev/null
curl -s -X PUT -H "Authorization: Bearer $KEY" -H 'Content-Type: application/yaml' $A/policies/AGENTS --data-binary $'rules:\n  - id: root-proxy\n    effect: allow\n    principals: [root]\n    operations: [issue, proxy]\n' > /dev/null
TOKEN=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' $A/tokens/issue -d "{\"secret_id\":\"$SID\",\"scope\":\"chat\",\"ttl\":\"5m\",\"environment\":\"dev\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/')
cd examples/openai-node
SECRETSAPI_ADDR=$A SECRETSAPI_TOKEN=$TOKEN SECRETSAPI_UPSTREAM=127.0.0.1:9400 node index.mjs
echo "--- what the stand-in upstream received:"
cat $W/fake.log
