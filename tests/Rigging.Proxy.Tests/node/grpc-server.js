'use strict';
// A grpc-js backend for the proxy's gRPC tests. Prints {"port":N} once it listens, then answers
// {"op":"stats"} with {"cancelled":N,"calls":{key:N}} (what it saw) until stdin closes.
const { grpc, testPackage, serveCommands, first } = require('./common');

const stats = { cancelled: 0, calls: {}, completed: 0 };

function trailer() {
  const md = new grpc.Metadata();
  md.set('x-server-trailer', 'bye');
  return md;
}

function reply(call, req, index) {
  return {
    message: req.message,
    index,
    attempt: first(call.metadata, 'x-envoy-attempt-count'),
    metadata: first(call.metadata, 'x-echo'),
  };
}

// Counts the call; true when it must fail UNAVAILABLE (the first fail_times calls with its key).
function failsOnce(req) {
  if (!req.key) return false;
  stats.calls[req.key] = (stats.calls[req.key] || 0) + 1;
  return stats.calls[req.key] <= req.failTimes;
}

const handlers = {
  Unary(call, callback) {
    const req = call.request;
    let timer = null;
    let finished = false;
    const done = (...args) => { finished = true; callback(...args); };
    call.on('cancelled', () => { if (!finished) stats.cancelled++; if (timer) clearTimeout(timer); });
    if (failsOnce(req)) {
      done({ code: grpc.status.UNAVAILABLE, details: 'not yet' });
      return;
    }
    const answer = () => {
      timer = null;
      if (call.cancelled) return;
      if (req.failCode) {
        if (req.headersFirst) {
          const early = new grpc.Metadata();
          early.set('x-early', 'yes');
          call.sendMetadata(early);
        }
        done({ code: req.failCode, details: req.failMessage, metadata: trailer() });
        return;
      }
      const headers = new grpc.Metadata();
      headers.set('x-server-header', 'hello');
      call.sendMetadata(headers);
      stats.completed++;
      done(null, reply(call, req, 0), trailer());
    };
    if (req.sleepMs > 0) timer = setTimeout(answer, req.sleepMs); else answer();
  },
  ServerStream(call) {
    const req = call.request;
    let index = 0;
    let timer = null;
    let finished = false;
    call.on('cancelled', () => { if (!finished) stats.cancelled++; if (timer) clearTimeout(timer); });
    const next = () => {
      timer = null;
      if (call.cancelled) return;
      if (index >= req.count) {
        finished = true;
        if (req.failCode) call.emit('error', { code: req.failCode, details: req.failMessage, metadata: trailer() });
        else { stats.completed++; call.end(trailer()); }
        return;
      }
      call.write(reply(call, req, index++));
      timer = setTimeout(next, req.sleepMs);
    };
    next();
  },
  Bidi(call) {
    let index = 0;
    let finished = false;
    call.on('cancelled', () => { if (!finished) stats.cancelled++; });
    call.on('data', (req) => call.write(reply(call, req, index++)));
    call.on('end', () => { finished = true; stats.completed++; call.end(trailer()); });
  },
};

async function main() {
  const server = new grpc.Server();
  server.addService(testPackage.Test.service, handlers);
  const port = await new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  process.stdout.write(JSON.stringify({ port }) + '\n');
  serveCommands(async (command) => {
    if (command.op === 'stats') return stats;
    return { error: `unknown op ${command.op}` };
  });
}

main().catch((err) => { console.error(err); process.exit(1); });
