// Drives Nuage's MCP server with the official TypeScript SDK's client (@modelcontextprotocol/sdk 1.x, pinned in
// package.json), the client most desktop and IDE agents embed. The functional tests (TypeScriptSdkClientTests) run it
// with node and assert on the one JSON object it prints on stdout.
//
//   node mcp-ts-sdk-client.mjs http  <url>/mcp <token>      <plan.json>
//   node mcp-ts-sdk-client.mjs stdio <command> <args-json>  <plan.json>   (env: NUAGE_URL, NUAGE_TOKEN passed through)
//
// plan.json: { "calls": [{ "name", "arguments" }], "resource": "nuage://…", "prompt": { "name", "arguments" } }
// The SDK itself rejects a tools/list whose schemas it cannot take, and validates every successful call's
// structuredContent against the tool's outputSchema (with Ajv); either failure shows up as an "error" below.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [mode, target, extra, planPath] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planPath, "utf8"));
const sdkVersion = JSON.parse(readFileSync(new URL("./node_modules/@modelcontextprotocol/sdk/package.json", import.meta.url), "utf8")).version;

function transportFor() {
  if (mode === "http") {
    return new StreamableHTTPClientTransport(new URL(target), { requestInit: { headers: { Authorization: `Bearer ${extra}` } } });
  }
  if (mode === "stdio") {
    return new StdioClientTransport({ command: target, args: JSON.parse(extra), env: { ...process.env }, stderr: "pipe" });
  }
  throw new Error(`mode must be http or stdio, not "${mode}"`);
}

const message = (e) => (e instanceof Error ? e.message : String(e));

// Boolean subschemas ("data": true) are legal JSON Schema but the SDK's tools/list validation refuses them at the top
// level of properties; report any, anywhere, so the test can insist on real schemas throughout.
function booleanSubschemas(schema, path, found) {
  if (typeof schema === "boolean") {
    found.push(path);
    return found;
  }
  if (schema === null || typeof schema !== "object") {
    return found;
  }
  for (const key of ["properties", "patternProperties", "$defs", "definitions"]) {
    for (const [name, sub] of Object.entries(schema[key] ?? {})) booleanSubschemas(sub, `${path}/${key}/${name}`, found);
  }
  for (const key of ["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems"]) {
    if (key in schema) booleanSubschemas(schema[key], `${path}/${key}`, found);
  }
  for (const key of ["anyOf", "oneOf", "allOf", "prefixItems"]) {
    (schema[key] ?? []).forEach((sub, i) => booleanSubschemas(sub, `${path}/${key}/${i}`, found));
  }
  return found;
}

const report = { sdkVersion, tools: [], booleanSubschemas: [], calls: [], resource: null, prompt: null, error: null };
const client = new Client({ name: "nuage-functional-tests", version: "1.0.0" });
try {
  await client.connect(transportFor());
  report.server = client.getServerVersion();
  const { tools } = await client.listTools();
  report.tools = tools.map((t) => t.name);
  for (const tool of tools) {
    booleanSubschemas(tool.inputSchema, `${tool.name}/inputSchema`, report.booleanSubschemas);
    booleanSubschemas(tool.outputSchema, `${tool.name}/outputSchema`, report.booleanSubschemas);
  }
  for (const call of plan.calls ?? []) {
    try {
      const result = await client.callTool({ name: call.name, arguments: call.arguments ?? {} });
      report.calls.push({ name: call.name, isError: result.isError === true, structuredContent: result.structuredContent ?? null });
    } catch (e) {
      report.calls.push({ name: call.name, error: message(e) });
    }
  }
  if (plan.resource) {
    try {
      const read = await client.readResource({ uri: plan.resource });
      report.resource = { uri: plan.resource, mimeType: read.contents[0]?.mimeType ?? null, text: read.contents[0]?.text ?? null };
    } catch (e) {
      report.resource = { uri: plan.resource, error: message(e) };
    }
  }
  if (plan.prompt) {
    try {
      const prompt = await client.getPrompt({ name: plan.prompt.name, arguments: plan.prompt.arguments ?? {} });
      report.prompt = { name: plan.prompt.name, messages: prompt.messages.map((m) => ({ role: m.role, text: m.content?.text ?? null })) };
    } catch (e) {
      report.prompt = { name: plan.prompt.name, error: message(e) };
    }
  }
} catch (e) {
  report.error = message(e);
} finally {
  await client.close().catch(() => {});
}
// Exit only once the report is flushed: a pipe takes 64 KiB at a time and process.exit() would cut the rest.
process.stdout.write(JSON.stringify(report) + "\n", () => process.exit(report.error ? 1 : 0));
