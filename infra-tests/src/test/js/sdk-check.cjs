// Runs the unofficial Fish Audio JavaScript client (npm "fish-audio-sdk", unmodified, version pinned in package.json)
// against a Fish-compatible API and prints what it returned or threw, as one JSON document on stdout.
//
//   node sdk-check.cjs <baseUrl> <apiKey> <plan.json>
//
// baseUrl is the client's own base URL: for VoiceDrop `<api>/fish`, so that `/model` becomes `/fish/model`.
// plan.json is a list of steps: {"name", "op": "get"|"update"|"delete", "id", "request": {title, description,
// visibility, tags}}. ApiJsClientTest writes the plan and asserts on the results (above all the error path: which
// error class the client throws, its status and the message it carries).
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { Session, HttpCodeError } = require("fish-audio-sdk");

const [baseUrl, apiKey, planFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, "utf8"));
const clientVersion = JSON.parse(readFileSync(join(__dirname, "node_modules/fish-audio-sdk/package.json"), "utf8")).version;
const session = new Session(apiKey, baseUrl);

async function run(step) {
  switch (step.op) {
    case "get":
      return session.getModel(step.id);
    case "update":
      return session.updateModel(step.id, step.request ?? {});
    case "delete":
      return session.deleteModel(step.id);
    default:
      throw new Error(`unknown op ${step.op}`);
  }
}

(async () => {
  const results = [];
  for (const step of plan) {
    try {
      const data = await run(step);
      results.push({ name: step.name, op: step.op, ok: true, data: data ?? null });
    } catch (e) {
      results.push({
        name: step.name,
        op: step.op,
        ok: false,
        error: {
          type: e?.constructor?.name ?? typeof e,
          typed: e instanceof HttpCodeError,
          status: e?.status ?? null,
          message: String(e?.message ?? e),
        },
      });
    }
  }
  session.close();
  process.stdout.write(JSON.stringify({ client: "fish-audio-sdk", clientVersion, node: process.version, results }) + "\n");
})();
