'use strict';
// Starts one grpc-js Echo server per name given, on free loopback ports, and prints
// {"servers":[{"name":"v1","port":1234},...]} once all listen. Runs until stdin closes.
const { grpc, echo, exitWithParent } = require('./common');

function handlers(name) {
  return {
    Unary(call, callback) {
      const req = call.request;
      const reply = () => {
        if (req.failCode) {
          callback({ code: req.failCode, details: 'failed on purpose' });
          return;
        }
        const seen = call.metadata.get('x-echo');
        callback(null, { message: req.message, server: name, metadata: seen.length ? String(seen[0]) : '' });
      };
      if (req.sleepMs > 0) setTimeout(reply, req.sleepMs); else reply();
    },
    Bidi(call) {
      call.on('data', (req) => {
        if (req.failCode) {
          call.emit('error', { code: req.failCode, details: 'failed on purpose' });
          return;
        }
        call.write({ message: req.message, server: name, metadata: '' });
      });
      call.on('end', () => call.end());
    },
  };
}

async function main() {
  const names = process.argv.slice(2);
  const servers = [];
  for (const name of names) {
    const server = new grpc.Server();
    server.addService(echo.Echo.service, handlers(name));
    const port = await new Promise((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    servers.push({ name, port });
  }
  process.stdout.write(JSON.stringify({ servers }) + '\n');
  exitWithParent();
}

main().catch((err) => { console.error(err); process.exit(1); });
