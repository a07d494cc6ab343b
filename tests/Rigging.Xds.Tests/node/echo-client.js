'use strict';
// Calls an Echo server (ours) with grpc-js and prints one JSON line describing the outcome.
// Usage: node echo-client.js <port> <scenario>
const { grpc, echo } = require('./common');

const [port, scenario] = process.argv.slice(2);
const client = new echo.Echo(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
const done = (result) => { process.stdout.write(JSON.stringify(result) + '\n'); client.close(); process.exit(0); };
const fail = (err) => done({ code: err.code, details: err.details });
const deadline = (ms) => new Date(Date.now() + ms);

switch (scenario) {
  case 'unary': {
    const md = new grpc.Metadata();
    md.set('x-echo', 'from-grpc-js');
    client.Unary({ message: 'hello' }, md, { deadline: deadline(5000) }, (err, reply) => (err ? fail(err) : done({ code: 0, reply })));
    break;
  }
  case 'error':
    client.Unary({ message: 'x', failCode: 7 }, { deadline: deadline(5000) }, (err, reply) => (err ? fail(err) : done({ code: 0, reply })));
    break;
  case 'deadline':
    client.Unary({ message: 'slow', sleepMs: 5000 }, { deadline: deadline(300) }, (err, reply) => (err ? fail(err) : done({ code: 0, reply })));
    break;
  case 'large': {
    const big = 'x'.repeat(5 * 1024 * 1024);
    client.Unary({ message: big }, { deadline: deadline(10000) }, (err, reply) => (err ? fail(err) : done({ code: 0, size: reply.message.length })));
    break;
  }
  case 'bidi': {
    const call = client.Bidi({ deadline: deadline(5000) });
    const replies = [];
    call.on('data', (r) => replies.push(r.message));
    call.on('error', fail);
    call.on('status', (s) => { if (s.code === 0) done({ code: 0, replies }); });
    for (let i = 0; i < 100; i++) call.write({ message: `m${i}` });
    call.end();
    break;
  }
  case 'cancel': {
    // Starts a stream, waits for one reply, then cancels; the server must see the cancellation.
    const call = client.Bidi();
    call.on('data', () => call.cancel());
    call.on('error', (err) => done({ code: err.code, details: err.details }));
    call.write({ message: 'first' });
    break;
  }
  default:
    done({ code: -1, details: `unknown scenario ${scenario}` });
}
