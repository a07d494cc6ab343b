'use strict';
// A proxyless gRPC client: @grpc/grpc-js-xds resolves xds:///echo through the xDS server named in the
// bootstrap (GRPC_XDS_BOOTSTRAP_CONFIG, set by the test). Reads JSON commands from stdin, one per line:
//   {"op":"calls","n":2000,"concurrency":20,"metadata":{"x-user":"jason"},"deadlineMs":2000}
// and answers each with one line: {"servers":{"v1":1600,"v2":400},"codes":{"14":3},"errors":["..."]}.
const readline = require('readline');
const { grpc, echo } = require('./common');
require('@grpc/grpc-js-xds').register();

const target = process.argv[2] || 'xds:///echo';
const client = new echo.Echo(target, grpc.credentials.createInsecure());

function call(metadata, deadlineMs) {
  return new Promise((resolve) => {
    const md = new grpc.Metadata();
    for (const [k, v] of Object.entries(metadata || {})) md.set(k, v);
    client.Unary({ message: 'hi' }, md, { deadline: new Date(Date.now() + deadlineMs) }, (err, reply) =>
      resolve(err ? { code: err.code, details: err.details } : { code: 0, server: reply.server }));
  });
}

async function calls({ n, concurrency = 20, metadata = {}, deadlineMs = 2000 }) {
  const result = { servers: {}, codes: {}, errors: [] };
  let next = 0;
  async function worker() {
    while (next < n) {
      next++;
      const r = await call(metadata, deadlineMs);
      if (r.code === 0) {
        result.servers[r.server] = (result.servers[r.server] || 0) + 1;
      } else {
        result.codes[r.code] = (result.codes[r.code] || 0) + 1;
        if (result.errors.length < 3) result.errors.push(`${r.code}: ${r.details}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return result;
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  const command = JSON.parse(line);
  const out = command.op === 'calls' ? await calls(command) : { error: `unknown op ${command.op}` };
  process.stdout.write(JSON.stringify(out) + '\n');
});
rl.on('close', () => { client.close(); process.exit(0); });
process.stdout.write(JSON.stringify({ ready: true }) + '\n');
