'use strict';
// Loads echo.proto for grpc-js; shared by the helper programs.
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const definition = protoLoader.loadSync(path.join(__dirname, 'echo.proto'), { keepCase: false, defaults: true });
const echo = grpc.loadPackageDefinition(definition).rigging.test;

// Ends the program when its parent closes stdin (the test disposed us).
function exitWithParent() {
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
}

module.exports = { grpc, echo, exitWithParent };
