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

// The query compiler (@zeit/cosmosdb-query) emits `.reduce(($, c) => [...$, {c}], [])` to gather documents, which
// copies the accumulated array once per document: a query over n documents costs O(n^2) (a 10^5-document
// collection took minutes). The generated tree is rewritten so that each step appends in place: `($.push(...), $)`.
const transformer = require("@zeit/cosmosdb-query/lib/transformer");
const transformOriginal = transformer.default;
const isAccumulator = (node) => node && node.type === "Identifier" && node.name === "$";
const appendInPlace = (node) => {
  if (!node || typeof node !== "object") return node;
  if (Array.isArray(node)) return node.map(appendInPlace);
  for (const key of Object.keys(node)) node[key] = appendInPlace(node[key]);
  if (node.type === "ArrowFunctionExpression" && isAccumulator(node.params[0])) {
    const copies = (body) => body && body.type === "ArrayExpression" && body.elements.length > 0 &&
      body.elements[0].type === "SpreadElement" && isAccumulator(body.elements[0].argument);
    const rewrite = (body) => ({
      type: "SequenceExpression",
      expressions: [
        {
          type: "CallExpression",
          callee: { type: "MemberExpression", object: { type: "Identifier", name: "$" }, property: { type: "Identifier", name: "push" } },
          arguments: body.elements.slice(1),
        },
        { type: "Identifier", name: "$" },
      ],
    });
    if (copies(node.body)) node.body = rewrite(node.body);
    else if (node.body && node.body.type === "ConditionalExpression" && copies(node.body.consequent))
      node.body.consequent = rewrite(node.body.consequent);
  }
  return node;
};
transformer.default = (ast) => appendInPlace(transformOriginal(ast));

// A query sent with a partition key (x-ms-documentdb-partitionkey) runs, in Cosmos DB, over that partition only; the
// server ran every query over the whole collection, so reading one shard's change feed cost the whole archive. Each
// collection's documents are also kept per partition, and such a query is given only its partition's documents.
const Items = require("@vercel/cosmosdb-server/lib/account/items").default;
const partitionOf = (items, data) => JSON.stringify(items._getPartition(data) ?? null);
const partitions = (items) => (items._partitions ??= new Map());
const setOriginal = Items.prototype._set;
Items.prototype._set = function (data) {
  const stored = setOriginal.call(this, data);
  const key = partitionOf(this, stored);
  if (!partitions(this).has(key)) partitions(this).set(key, new Map());
  partitions(this).get(key).set(stored._rid, this._data.get(stored._rid));
  return stored;
};
const deleteOriginal = Items.prototype.delete;
Items.prototype.delete = function (idOrRid, partition) {
  const data = this._item("/id", idOrRid, partition).read();
  deleteOriginal.call(this, idOrRid, partition);
  if (data) partitions(this).get(partitionOf(this, data))?.delete(data._rid);
};
Items.prototype.queryPartition = function (params, { maxItemCount, continuation }, partitionKey) {
  if (!this._parent.read()) return null;
  const documents = [...(partitions(this).get(partitionKey)?.values() ?? [])].map((item) => item.read());
  const parent = this._parent.read();
  try {
    return this._getQuery(params.query).exec(documents, {
      parameters: params.parameters,
      udf: this._userDefinedFunctions(),
      maxItemCount,
      continuation,
      compositeIndexes: (parent.indexingPolicy ? parent.indexingPolicy.compositeIndexes : null) || [],
    });
  } catch (err) {
    err.badRequest = true;
    throw err;
  }
};
// The header holds a JSON array with the key's value, e.g. ["s2-3"]; a hierarchical or absent key runs as before.
const headerPartitionKey = (req) => {
  try {
    const value = JSON.parse(req.headers["x-ms-documentdb-partitionkey"] ?? "null");
    return Array.isArray(value) && value.length === 1 && ["string", "number"].includes(typeof value[0])
      ? JSON.stringify(value[0]) : undefined;
  } catch {
    return undefined;
  }
};
// The query handler, as the package's (handler/query-documents), with the partition given to the documents' query.
const readItems = require("@vercel/cosmosdb-server/lib/handler/_read-items").default;
const readJson = require("@vercel/cosmosdb-server/lib/json").default;
const trueHeader = require("@vercel/cosmosdb-server/lib/true-header").default;
const compileQuery = require("@zeit/cosmosdb-query").default;
const queryDocuments = require("@vercel/cosmosdb-server/lib/handler/query-documents");
queryDocuments.default = (account, req, res, { dbId, collId }) =>
  readItems(req, res, "Documents", async ({ continuation, maxItemCount }) => {
    const body = await readJson(req);
    if (!body.query) {
      res.statusCode = 400;
      return { message: "missing query" };
    }
    const collection = account.database(dbId).collection(collId);
    const partitionKey = headerPartitionKey(req);
    // A query given its partition needs no partition key in its text (as in Cosmos DB).
    if (partitionKey === undefined && !trueHeader(req, "x-ms-documentdb-query-enablecrosspartition")) {
      const paths = ((collection.read() || {}).partitionKey || {}).paths || [];
      if (paths.length && !compileQuery(body.query).containsPartitionKeys(paths)) {
        res.statusCode = 400;
        return { message: "missing partition keys" };
      }
    }
    try {
      return partitionKey === undefined
        ? collection.documents.query(body, { continuation, maxItemCount })
        : collection.documents.queryPartition(body, { continuation, maxItemCount }, partitionKey);
    } catch (err) {
      if (err.badRequest) {
        res.statusCode = 400;
        return { message: err.message };
      }
      throw err;
    }
  });

const { createHttpsServer } = require("@vercel/cosmosdb-server");

const args = { host: "127.0.0.1", port: 8081 };
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
if (!args.cert || !args.key) {
  console.error("usage: node cosmos.js --host H --port P --cert cert.pem --key key.pem");
  process.exit(2);
}

// Keep-alive: the SDK reuses its connections, where the server closed each one after its response (a TLS handshake
// per request).
const server = createHttpsServer({ cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key), keepAlive: true });
server.listen(Number(args.port), args.host, () => {
  console.log(`cosmosdb-server ready at https://${args.host}:${args.port}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
