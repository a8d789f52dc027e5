#!/usr/bin/env python3
"""Times FAISS binary indexes on the codes and queries the .NET bench wrote, so both sides see identical data.

Writes one JSON document (a list of rows) and, per row, the result ids as raw little-endian int64 (nq * k), so
the .NET side computes recall against its brute force with one definition for every method.
"""
import argparse
import json
import os
import time

import faiss
import numpy as np


def resident_bytes():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def build(name, bits, codes):
    if name == "IndexBinaryFlat":
        return faiss.IndexBinaryFlat(bits)
    if name == "IndexBinaryHash":
        index = faiss.IndexBinaryHash(bits, min(bits, args.hash_bits))
        index.nflip = args.nflip
        return index
    if name == "IndexBinaryMultiHash":
        # Multi-index hashing: nhash disjoint substrings; a code within radius r of the query matches one substring
        # within floor(r / nhash), which nflip probes.
        index = faiss.IndexBinaryMultiHash(bits, args.nhash, min(bits // args.nhash, 16))
        index.nflip = args.nflip
        return index
    raise ValueError(name)


parser = argparse.ArgumentParser()
parser.add_argument("--codes", required=True)
parser.add_argument("--queries", required=True)
parser.add_argument("--bits", type=int, required=True)
parser.add_argument("--k", type=int, required=True)
parser.add_argument("--threads", required=True, help="comma-separated thread counts")
parser.add_argument("--out", required=True, help="directory for results.json and id files")
parser.add_argument("--hash-bits", type=int, default=24)
parser.add_argument("--nhash", type=int, default=4)
parser.add_argument("--nflip", type=int, default=2)
parser.add_argument("--runs", type=int, default=3)
parser.add_argument("--methods", default="IndexBinaryFlat,IndexBinaryMultiHash,IndexBinaryHash",
                    help="comma-separated FAISS index classes to time")
args = parser.parse_args()

width = args.bits // 8
codes = np.fromfile(args.codes, dtype=np.uint8).reshape(-1, width)
queries = np.fromfile(args.queries, dtype=np.uint8).reshape(-1, width)
n, nq = codes.shape[0], queries.shape[0]
rows = []
for name in args.methods.split(","):
    before = resident_bytes()
    index = build(name, args.bits, codes)
    started = time.perf_counter()
    index.add(codes)
    add_seconds = time.perf_counter() - started
    memory = resident_bytes() - before
    for threads in [int(t) for t in args.threads.split(",")]:
        faiss.omp_set_num_threads(threads)
        index.search(queries[:1], args.k)  # warm-up
        # Best of a few runs, as on the .NET side: the machine is shared.
        seconds = float("inf")
        for _ in range(args.runs):
            faiss.cvar.indexBinaryHash_stats.reset()
            started = time.perf_counter()
            _, ids = index.search(queries, args.k)
            seconds = min(seconds, time.perf_counter() - started)
        scanned = n * nq if name == "IndexBinaryFlat" else faiss.cvar.indexBinaryHash_stats.ndis
        ids_file = os.path.join(args.out, f"faiss-{name}-{threads}.i64")
        ids.astype("<i8").tofile(ids_file)
        rows.append({"method": name, "version": faiss.__version__, "threads": threads, "ms_per_query": 1000 * seconds / nq,
                     "codes_scanned": int(scanned), "memory_bytes": memory, "add_seconds": add_seconds,
                     "ids_file": ids_file})
    del index
with open(os.path.join(args.out, "faiss.json"), "w") as out:
    json.dump(rows, out)
