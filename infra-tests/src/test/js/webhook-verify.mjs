// Verifies VoiceDrop webhook deliveries with the Standard Webhooks reference library (npm "standardwebhooks",
// unmodified, version pinned in package.json) and prints one JSON document on stdout.
//
//   node webhook-verify.mjs <deliveries.json>
//
// deliveries.json is a list of {"name", "secret", "headers": {...}, "body": "<raw body>"}: exactly what a receiver
// got and the secret it was configured with. Each result says whether Webhook.verify accepted the delivery (and the
// payload it returned) or why it refused it. WebhookSignatureTest writes the list and asserts on the results.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Webhook } from "standardwebhooks";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: node webhook-verify.mjs <deliveries.json>");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const libraryVersion = JSON.parse(
  await readFile(join(here, "node_modules/standardwebhooks/package.json"), "utf8")).version;
const results = [];
for (const d of JSON.parse(await readFile(file, "utf8"))) {
  try {
    const payload = new Webhook(d.secret).verify(d.body, d.headers);
    results.push({ name: d.name, ok: true, payload });
  } catch (e) {
    results.push({ name: d.name, ok: false, error: { type: e.name, message: e.message } });
  }
}
console.log(JSON.stringify({ libraryVersion, results }));
