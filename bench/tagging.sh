#!/usr/bin/env bash
# Tagging: the figures of the project's labelled set (lexicon alone, and
# with the model trained on the development part), then the speed of
# suggesting over the synthetic corpus of shared/bench/gen_corpus.py.
# Usage: bench/tagging.sh [PRACTICES=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
practices=${1:-100000}
cargo build --release --quiet --bin compendium
bin=$PWD/target/release/compendium
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== labelled set, lexicon alone (dev + held-out)"
$bin tagging-eval tests/data/tagging-dev.jsonl tests/data/tagging-holdout.jsonl
echo "== held-out part, lexicon alone"
$bin tagging-eval tests/data/tagging-holdout.jsonl
echo "== held-out part, model trained on the development part"
$bin tagging-eval tests/data/tagging-holdout.jsonl --train tests/data/tagging-dev.jsonl
python3 ../shared/bench/gen_corpus.py --practices "$practices" --jsonl "$work/corpus.jsonl"
echo "== speed: $practices synthetic practices, $(nproc) cores (one thread)"
start=$(date +%s.%N)
$bin tagging-eval "$work/corpus.jsonl" --train "$work/corpus.jsonl" | head -2
end=$(date +%s.%N)
python3 -c "s=$end-$start; print(f'trained on and suggested for {$practices} practices in {s:.1f} s: {$practices/s:,.0f} practices/s (both passes)')"
