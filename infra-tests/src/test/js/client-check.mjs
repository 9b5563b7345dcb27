// Runs the official Fish Audio JavaScript client (npm "fish-audio", unmodified, version pinned in package.json)
// against a Fish-compatible API and prints what the client returned, as one JSON document on stdout.
//
//   node client-check.mjs <baseUrl> <apiKey> [plan.json]
//
// baseUrl is what the client's own `baseUrl` option takes: for VoiceDrop `<api>/fish`, so that the client's
// `model` paths become `/fish/model`. plan.json is a list of steps, run in order (without it: one search):
//   {"name": "...", "op": "search", "request": {page_size, page_number, title, tag, self, sort_by, ...}}
//   {"name": "...", "op": "get", "id": "<model or job id>"}
//   {"name": "...", "op": "create", "request": {title, tags, texts, visibility, ...}, "files": ["/path/a.wav"]}
//   {"name": "...", "op": "update", "id": "<model id>", "request": {title, description, visibility, tags}, "cover": "/path/c.png"}
//   {"name": "...", "op": "delete", "id": "<model id>"}
// Each result carries the HTTP status and the URL the client requested (how it encoded the query), and either the
// data the client returned or the error it threw. ApiJsClientTest writes the plan and asserts on the results.
import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FishAudioClient, FishAudioError } from "fish-audio";

const [baseUrl, apiKey, planFile] = process.argv.slice(2);
if (!baseUrl || !apiKey) {
  console.error("usage: node client-check.mjs <baseUrl> <apiKey> [plan.json]");
  process.exit(2);
}
const plan = planFile
  ? JSON.parse(await readFile(planFile, "utf8"))
  : [{ name: "first page", op: "search", request: {} }];
const here = dirname(fileURLToPath(import.meta.url));
const clientVersion = JSON.parse(await readFile(join(here, "node_modules/fish-audio/package.json"), "utf8")).version;

// The client retries 408, 429 and 5xx twice with a backoff of seconds; a compatibility check wants the first answer.
const options = { maxRetries: 0, timeoutInSeconds: 60 };
const client = new FishAudioClient({ apiKey, baseUrl });

async function run(step) {
  switch (step.op) {
    case "search":
      return client.voices.search(step.request ?? {}, options).withRawResponse();
    case "get":
      return client.voices.get(step.id, options).withRawResponse();
    case "create": {
      const voices = [];
      for (const path of step.files) {
        voices.push(new File([await readFile(path)], basename(path), { type: "audio/wav" }));
      }
      return client.voices.ivc.create({ ...step.request, voices }, options).withRawResponse();
    }
    case "update": {
      const request = { ...step.request };
      if (step.cover) {
        request.cover_image = new File([await readFile(step.cover)], basename(step.cover), { type: "image/png" });
      }
      return client.voices.update(step.id, request, options).withRawResponse();
    }
    case "delete":
      return client.voices.delete(step.id, options).withRawResponse();
    default:
      throw new Error(`unknown op ${step.op}`);
  }
}

const results = [];
for (const step of plan) {
  try {
    const { data, rawResponse } = await run(step);
    // VoiceDrop names the job behind a create in a header; a Fish client ignores it.
    const jobId = rawResponse.headers?.get?.("x-voicedrop-job-id") ?? null;
    results.push({ name: step.name, op: step.op, ok: true, status: rawResponse.status, url: rawResponse.url, jobId, data });
  } catch (e) {
    results.push({
      name: step.name,
      op: step.op,
      ok: false,
      status: e instanceof FishAudioError ? (e.statusCode ?? null) : null,
      url: e?.rawResponse?.url ?? null,
      error: { type: e?.constructor?.name ?? typeof e, message: String(e?.message ?? e), body: e?.body ?? null },
    });
  }
}
process.stdout.write(JSON.stringify({ client: "fish-audio", clientVersion, node: process.version, results }) + "\n");
