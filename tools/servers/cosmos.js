// Starts @vercel/cosmosdb-server over HTTPS with the certificate given on the command line (start.sh makes a
// self-signed one for 127.0.0.1), since the package's bundled certificate names no loopback address.
// Usage: node cosmos.js --host 127.0.0.1 --port 8081 --cert cert.pem --key key.pem
"use strict";
const fs = require("fs");

// cosmosdb-server 1.0.1 answers a point read of a missing document with 500 ("Cannot read properties of undefined
// (reading 'id')") instead of 404, because its handler dereferences the absent document. Real Cosmos DB says 404,
// which is what callers test for, so the handler is wrapped before the route table captures it.
const readDocument = require("@vercel/cosmosdb-server/lib/handler/read-document");
const readDocumentOriginal = readDocument.default;
readDocument.default = (account, req, res, params) => {
  try {
    return readDocumentOriginal(account, req, res, params);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    res.statusCode = 404;
    return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
  }
};

// cosmosdb-server derives a database's resource id from a counter, and the 62nd, 63rd, 126th, 127th... databases get
// ids whose base64 holds '+' or '/' (e.g. "gAA/AA=="). The SDK puts those ids into request paths, which the server
// then cannot route: every operation on such a database answers 404. Real Cosmos DB ids are URL-safe, so the counter
// is mapped onto the ids that are.
const Databases = require("@vercel/cosmosdb-server/lib/account/databases").default;
const databaseRidOriginal = Databases.prototype._rid;
const urlSafeCounters = [];
Databases.prototype._rid = function (count) {
  for (let candidate = (urlSafeCounters.at(-1) ?? 0) + 1; urlSafeCounters.length < count; candidate++) {
    if (!/[+/]/.test(databaseRidOriginal.call(this, candidate))) urlSafeCounters.push(candidate);
  }
  return databaseRidOriginal.call(this, urlSafeCounters[count - 1]);
};

const { createHttpsServer } = require("@vercel/cosmosdb-server");

const args = { host: "127.0.0.1", port: 8081 };
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
if (!args.cert || !args.key) {
  console.error("usage: node cosmos.js --host H --port P --cert cert.pem --key key.pem");
  process.exit(2);
}

const server = createHttpsServer({ cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key) });
server.listen(Number(args.port), args.host, () => {
  console.log(`cosmosdb-server ready at https://${args.host}:${args.port}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
