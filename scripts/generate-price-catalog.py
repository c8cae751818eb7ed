#!/usr/bin/env python3
"""Generates LlmRouter's built-in price catalog from the LiteLLM price list.

The catalog (src/LlmRouter/Costs/PriceCatalog.tsv) is committed and embedded in the library, so builds never need
the source file. Run this script after the source snapshot changes, review the diff, and commit both.

    python3 scripts/generate-price-catalog.py                 # regenerate from ../shared/data
    python3 scripts/generate-price-catalog.py --check         # exit 1 if the committed catalog is out of date

What is kept: every entry whose mode is "chat" or "responses" and that has both a per-token input and output price.
Prices are converted from USD per token to USD per million tokens with exact decimal arithmetic (no binary floating
point round trip). Long-context tiers ("..._above_200k_tokens" keys and "tiered_pricing" ranges) are kept; service
tiers (priority, flex, batch), per-second, per-image and per-request prices are not.

Source: BerriAI/litellm model_prices_and_context_window.json, MIT License, Copyright (c) 2023 Berri AI.
"""

import argparse
import hashlib
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "model_prices_and_context_window.json"
DEFAULT_OUTPUT = REPO / "src" / "LlmRouter" / "Costs" / "PriceCatalog.tsv"
MODES = ("chat", "responses")
COLUMNS = ("model", "provider", "max_input", "max_output", "input", "output", "cache_read", "cache_write", "reasoning", "tiers")
ABOVE = re.compile(r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost|output_cost_per_reasoning_token)_above_(\d+)k_tokens$")
TIER_KINDS = ("input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost", "cache_creation_input_token_cost", "output_cost_per_reasoning_token")


def per_million(value):
    """USD per token (a JSON number) to USD per million tokens, as an exact decimal string."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"not a price: {value!r}")
    amount = Decimal(repr(value)) * 1_000_000
    if amount < 0:
        raise ValueError(f"negative price: {value!r}")
    text = format(amount.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def tokens(value):
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return ""  # the spec entry documents the field with text
    return str(int(value)) if value > 0 else ""


def tiers(entry):
    """Long-context tiers as 'threshold:input,output,cache_read,cache_write,reasoning;...', sorted by threshold."""
    found = {}
    for key, value in entry.items():
        match = ABOVE.match(key)
        if match and isinstance(value, (int, float)):
            found.setdefault(int(match.group(2)) * 1000, {})[match.group(1)] = value
    for band in entry.get("tiered_pricing") or []:
        start = int(band["range"][0])
        if start <= 0:
            continue  # the first band repeats the base prices
        found.setdefault(start, {}).update({k: band[k] for k in TIER_KINDS if isinstance(band.get(k), (int, float))})
    parts = []
    for threshold in sorted(found):
        prices = found[threshold]
        parts.append(f"{threshold}:" + ",".join(per_million(prices.get(kind)) for kind in TIER_KINDS))
    return ";".join(parts)


def with_base_band(entry):
    """An entry priced only by "tiered_pricing" takes its base prices from the band that starts at zero."""
    if isinstance(entry.get("input_cost_per_token"), (int, float)):
        return entry
    for band in entry.get("tiered_pricing") or []:
        if int(band["range"][0]) == 0:
            merged = dict(entry)
            merged.update({k: band[k] for k in TIER_KINDS if isinstance(band.get(k), (int, float))})
            return merged
    return entry


def rows(source):
    for name in sorted(source, key=str.lower):
        entry = source[name]
        if not isinstance(entry, dict) or entry.get("mode") not in MODES:
            continue
        entry = with_base_band(entry)
        if not isinstance(entry.get("input_cost_per_token"), (int, float)) or not isinstance(entry.get("output_cost_per_token"), (int, float)):
            continue
        if any(c in name for c in "\t\r\n") or name != name.strip():
            raise ValueError(f"unexpected model name {name!r}")
        yield (
            name,
            entry.get("litellm_provider", ""),
            tokens(entry.get("max_input_tokens") or entry.get("max_tokens")),
            tokens(entry.get("max_output_tokens") or entry.get("max_tokens")),
            per_million(entry.get("input_cost_per_token")),
            per_million(entry.get("output_cost_per_token")),
            per_million(entry.get("cache_read_input_token_cost")),
            per_million(entry.get("cache_creation_input_token_cost")),
            per_million(entry.get("output_cost_per_reasoning_token")),
            tiers(entry),
        )


def snapshot_of(source_path):
    readme = source_path.parent / "README.md"
    if readme.exists():
        match = re.search(r"last_updated\s+(\d{4}-\d{2}-\d{2})T[0-9:]+Z", readme.read_text(encoding="utf-8"))
        if match:
            return match.group(1)
    return None


def render(source_path, snapshot):
    source = json.loads(source_path.read_text(encoding="utf-8"))
    body = "".join("\t".join(row) + "\n" for row in rows(source))
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:8]
    count = body.count("\n")
    header = (
        "# LlmRouter built-in price catalog. Generated by scripts/generate-price-catalog.py: do not edit by hand.\n"
        "# Source: BerriAI/litellm model_prices_and_context_window.json, MIT License, Copyright (c) 2023 Berri AI.\n"
        "# See THIRD-PARTY-NOTICES.md beside this file.\n"
        f"# version\t{snapshot}+{digest}\n"
        f"# entries\t{count}\n"
        "# Prices are USD per million tokens; an empty price is not given by the source. Tiers: threshold:input,output,cache_read,cache_write,reasoning;...\n"
        "#" + "\t".join(COLUMNS) + "\n"
    )
    return header + body, f"{snapshot}+{digest}", count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the LiteLLM price list (JSON)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the catalog to write")
    parser.add_argument("--snapshot", help="the source snapshot's date (YYYY-MM-DD); read from the README beside the source by default")
    parser.add_argument("--check", action="store_true", help="compare with the existing catalog instead of writing it")
    args = parser.parse_args()

    snapshot = args.snapshot or snapshot_of(args.source)
    if not snapshot or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", snapshot):
        parser.error("the snapshot date is unknown: pass --snapshot YYYY-MM-DD")

    text, version, count = render(args.source, snapshot)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date (expected version {version}); run scripts/generate-price-catalog.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date (version {version}, {count} models)")
        return 0

    args.output.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.output} (version {version}, {count} models)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
