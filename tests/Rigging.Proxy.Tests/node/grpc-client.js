'use strict';
// A grpc-js client for the proxy's gRPC tests: `node grpc-client.js HOST:PORT` calls through the proxy over h2c.
// Prints {"ready":true}, then runs one JSON-line command at a time and prints its result:
//   {"op":"unary","req":{...},"metadata":{...},"deadlineMs":N}
//   {"op":"serverStream","req":{...},"cancelAfter":N}   (cancel after N messages when set)
//   {"op":"bidi","count":N}                              (one message out, its answer in, N times)
// Each result has code, details, headers and trailers (metadata as objects) and what was received.
const { grpc, testPackage, serveCommands, toObject } = require('./common');

const client = new testPackage.Test(process.argv[2], grpc.credentials.createInsecure());

function metadataOf(object) {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(object || {})) md.set(k, v);
  return md;
}

function options(command) {
  return command.deadlineMs ? { deadline: new Date(Date.now() + command.deadlineMs) } : {};
}

function unary(command) {
  return new Promise((resolve) => {
    const result = { headers: {} };
    const call = client.Unary(command.req || {}, metadataOf(command.metadata), options(command), (err, reply) => {
      result.reply = reply || null;
    });
    call.on('metadata', (md) => { result.headers = toObject(md); });
    call.on('status', (status) => {
      // 'status' comes after the callback, so the reply is already recorded.
      setImmediate(() => resolve({ ...result, code: status.code, details: status.details, trailers: toObject(status.metadata) }));
    });
  });
}

function serverStream(command) {
  return new Promise((resolve) => {
    const result = { headers: {}, indexes: [] };
    const call = client.ServerStream(command.req || {}, metadataOf(command.metadata), options(command));
    call.on('metadata', (md) => { result.headers = toObject(md); });
    call.on('data', (reply) => {
      result.indexes.push(reply.index);
      if (command.cancelAfter && result.indexes.length === command.cancelAfter) call.cancel();
    });
    call.on('error', () => {});
    call.on('status', (status) => resolve({ ...result, code: status.code, details: status.details, trailers: toObject(status.metadata) }));
  });
}

function bidi(command) {
  return new Promise((resolve) => {
    const result = { indexes: [], echoed: 0 };
    const call = client.Bidi(metadataOf(command.metadata), options(command));
    let sent = 0;
    const send = () => {
      if (sent === command.count) { call.end(); return; }
      call.write({ message: `m${sent}` });
      sent++;
    };
    // The next message goes out only when the previous answer came back: every message must be flushed both ways.
    call.on('data', (reply) => {
      result.indexes.push(reply.index);
      if (reply.message === `m${result.indexes.length - 1}`) result.echoed++;
      send();
    });
    call.on('error', () => {});
    call.on('status', (status) => resolve({ ...result, code: status.code, details: status.details, trailers: toObject(status.metadata) }));
    send();
  });
}

const ops = { unary, serverStream, bidi };

serveCommands(async (command) => {
  const op = ops[command.op];
  if (!op) return { error: `unknown op ${command.op}` };
  return op(command);
});
process.stdout.write(JSON.stringify({ ready: true }) + '\n');
