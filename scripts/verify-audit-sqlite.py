#!/usr/bin/env python3
"""Verifies an LlmRouter SQLite audit file without LlmRouter: recomputes every record's SHA-256 from its columns, as
docs/audit.md defines the serialization (version 1), checks that each record links to the one before it, that sequence
numbers have no gaps, and that each chain ends at its registered head.

Usage: python3 scripts/verify-audit-sqlite.py llmrouter-audit.db
Exit status 0 when every chain is intact, 1 otherwise. Needs only Python 3's standard library.
"""
import hashlib
import json
import sqlite3
import sys
from decimal import Decimal

ZERO = "0" * 64


def text(value):
    """A value as the serialization writes it: '-' for null, else '<UTF-8 byte length>:<text>'."""
    if value is None:
        return "-"
    data = str(value)
    return f"{len(data.encode('utf-8'))}:{data}"


def dec(value):
    """A decimal without exponent or trailing zeros ('0' for zero)."""
    if value is None:
        return None
    d = Decimal(str(value))
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    return s


def boolean(value):
    return "true" if value else "false"


ERROR_CLASSES = None  # stored already in their canonical names


def canonical(r, attempts, tags, pii):
    lines = ["llmrouter-audit-record-v1"]

    def f(name, value):
        lines.append(f"{name}={text(value)}")

    f("chain_id", r["chain_id"])
    f("seq", r["seq"])
    f("prev_hash", r["prev_hash"])
    f("id", r["id"])
    f("started_at", r["started_at"])
    f("completed_at", r["completed_at"])
    f("duration_us", r["duration_us"])
    f("ttft_us", r["ttft_us"])
    f("streaming", boolean(r["streaming"]))
    f("key", r["key_id"])
    f("tenant", r["tenant"])
    f("user", r["user_id"])
    f("tags", len(tags))
    for tag in tags:
        f("tag", tag)
    for column in ("requested_model", "served_model", "provider", "provider_model", "region", "status", "reason_code", "error_class", "error_message"):
        f(column, r[column])
    for column in ("input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens"):
        f(column, r[column])
    f("tokens_estimated", boolean(r["tokens_estimated"]))
    f("cost", dec(r["cost"]))
    f("price_unknown", boolean(r["price_unknown"]))
    for column in ("price_input", "price_cached_input", "price_cache_write", "price_output", "price_reasoning"):
        f(column, dec(r[column]))
    f("price_source", r["price_source"])
    f("catalog_version", r["catalog_version"])
    kinds = sorted(pii)  # code-point order
    f("pii", len(kinds))
    for kind in kinds:
        f("pii.kind", kind)
        f("pii.count", pii[kind])
    f("content_mode", r["content_mode"])
    f("request_content", r["request_content"])
    f("response_content", r["response_content"])
    f("content_truncated", boolean(r["content_truncated"]))
    f("attempts", len(attempts))
    for a in attempts:
        g = a.get
        f("attempt.model", g("model"))
        f("attempt.provider", g("provider"))
        f("attempt.provider_model", g("provider_model"))
        f("attempt.region", g("region"))
        f("attempt.outcome", g("outcome"))
        f("attempt.skip_reason", g("skip_reason"))
        f("attempt.error_class", g("error_class"))
        f("attempt.status_code", g("status_code"))
        f("attempt.error", g("error"))
        f("attempt.retry_after_us", g("retry_after_us"))
        f("attempt.output_started", boolean(g("output_started", False)))
        f("attempt.started_at", g("started_at"))
        f("attempt.duration_us", g("duration_us", 0))
        f("attempt.ttft_us", g("ttft_us"))
        for kind in ("input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens"):
            f("attempt." + kind, g(kind, 0))
        f("attempt.tokens_estimated", boolean(g("tokens_estimated", False)))
        f("attempt.cost", dec(g("cost")))
        f("attempt.price_unknown", boolean(g("price_unknown", False)))
        for kind in ("price_input", "price_cached_input", "price_cache_write", "price_output", "price_reasoning"):
            f("attempt." + kind, dec(g(kind)))
        f("attempt.price_source", g("price_source"))
        f("attempt.catalog_version", g("catalog_version"))
    return ("\n".join(lines) + "\n").encode("utf-8")


def verify(path):
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    heads = {row["chain_id"]: row for row in db.execute("SELECT * FROM audit_chains")}
    chains = sorted(set(heads) | {row[0] for row in db.execute("SELECT DISTINCT chain_id FROM audit_records")})
    intact, total = True, 0
    for chain in chains:
        head = heads.get(chain)
        expected, previous, problem = 1, ZERO, None
        for r in db.execute("SELECT * FROM audit_records WHERE chain_id = ? ORDER BY seq", (chain,)):
            attempts = json.loads(r["attempts"], parse_float=Decimal)
            tags = json.loads(r["tags"]) if r["tags"] else []
            pii = json.loads(r["pii_findings"]) if r["pii_findings"] else {}
            computed = hashlib.sha256(canonical(r, attempts, tags, pii)).hexdigest()
            if head is None:
                problem = f"#{r['seq']}: belongs to a chain no writer registered"
            elif r["seq"] != expected:
                problem = f"#{expected}: missing (next present is #{r['seq']})"
            elif r["prev_hash"] != previous:
                problem = f"#{r['seq']}: does not link to #{expected - 1}"
            elif computed != r["hash"]:
                problem = f"#{r['seq']}: fields do not match the hash (stored {r['hash']}, computed {computed})"
            if problem:
                break
            previous, expected = r["hash"], expected + 1
        last = expected - 1
        if not problem and head is not None:
            if head["last_seq"] != last:
                problem = f"head names #{head['last_seq']}, last record present is #{last}"
            elif head["last_hash"] != previous:
                problem = "head's hash differs from the last record's"
        total += last
        print(f"chain {chain}: {last} record(s) " + ("intact" if not problem else "NOT intact: " + problem))
        intact &= problem is None
    print(f"{total} record(s) in {len(chains)} chain(s): " + ("intact" if intact else "NOT intact"))
    return intact


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(0 if verify(sys.argv[1]) else 1)
