'use strict';
// Loads test.proto for grpc-js and reads JSON-line commands from stdin; shared by the helper programs.
const path = require('path');
const readline = require('readline');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const definition = protoLoader.loadSync(path.join(__dirname, 'test.proto'), { keepCase: false, defaults: true });
const testPackage = grpc.loadPackageDefinition(definition).rigging.grpctest;

// Calls handle(command) for each JSON line on stdin and prints its result as one JSON line.
// The program ends when its parent closes stdin (the test disposed us).
function serveCommands(handle) {
  const lines = readline.createInterface({ input: process.stdin });
  let pending = 0;
  let closed = false;
  lines.on('line', async (line) => {
    pending++;
    let result;
    try {
      result = await handle(JSON.parse(line));
    } catch (err) {
      result = { error: String(err && err.stack || err) };
    }
    process.stdout.write(JSON.stringify(result) + '\n');
    if (--pending === 0 && closed) process.exit(0);
  });
  // Commands still running finish first (their answers are printed), then the program ends.
  lines.on('close', () => { closed = true; if (pending === 0) process.exit(0); });
}

function first(metadata, name) {
  const values = metadata.get(name);
  return values.length ? String(values[0]) : '';
}

function toObject(metadata) {
  const out = {};
  if (!metadata) return out;
  for (const [k, v] of Object.entries(metadata.getMap())) out[k] = String(v);
  return out;
}

module.exports = { grpc, testPackage, serveCommands, first, toObject };
