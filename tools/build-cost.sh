#!/usr/bin/env bash
# Build cost of the generated crate, side by side with progenitor's output, in one run.
#
#   tools/build-cost.sh            # RUNS_CLEAN=1 RUNS_REBUILD=5 by default; RUNS_CLEAN=0: rebuilds only
#
# Three consumer crates outside the workspace, each a `main.rs` that builds a client:
#   one-vendor   api-token-clients with only the `apivideo` feature
#   all-vendors  api-token-clients with its default features (all five vendors)
#   progenitor   the crate `cargo progenitor` generates from specs/apivideo.yaml
# For each: the clean build (dev profile, `cargo clean` first, dependencies already
# downloaded) and the rebuild after touching the client crate's source (not the consumer's).
# Installs hyperfine (Debian package) and cargo-progenitor (into target/) when missing.
# Results: target/build-cost/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/target/build-cost
RUNS_CLEAN=${RUNS_CLEAN:-1}
RUNS_REBUILD=${RUNS_REBUILD:-5}
mkdir -p "$WORK"

if ! command -v hyperfine >/dev/null; then
    apt-get install -y hyperfine >/dev/null 2>&1 || { apt-get update -q && apt-get install -y hyperfine; }
fi
PROGENITOR=$WORK/tools/bin/cargo-progenitor
if [ ! -x "$PROGENITOR" ]; then
    cargo install cargo-progenitor --locked --root "$WORK/tools"
fi

# progenitor's crate for the api.video spec (4 operations, like the issue's comparison).
# progenitor 0.15 panics on the spec as it is ("assertion failed: response_types.len() <= 1":
# it allows one error body type per operation), so it gets a copy with only the 2xx responses.
# Our crate is measured on the whole spec, so the comparison favours progenitor slightly.
PY=python3
[ -x "$ROOT/.venv/bin/python" ] && PY=$ROOT/.venv/bin/python
"$PY" - "$ROOT/specs/apivideo.yaml" "$WORK/apivideo-2xx.yaml" <<'PYEOF'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
for item in spec["paths"].values():
    for op in item.values():
        if isinstance(op, dict) and "responses" in op:
            op["responses"] = {k: v for k, v in op["responses"].items() if str(k).startswith("2")}
yaml.safe_dump(spec, open(sys.argv[2], "w"), sort_keys=False)
PYEOF
rm -rf "$WORK/progenitor-apivideo"
"$PROGENITOR" progenitor -i "$WORK/apivideo-2xx.yaml" -o "$WORK/progenitor-apivideo" \
    -n progenitor-apivideo -v 0.1.0 >/dev/null
# A workspace of its own, so that it is not taken for a member of ours.
grep -q '^\[workspace\]' "$WORK/progenitor-apivideo/Cargo.toml" \
    || printf '\n[workspace]\n' >> "$WORK/progenitor-apivideo/Cargo.toml"

consumer() { # name, dependency line, main.rs body
    local dir=$WORK/$1
    mkdir -p "$dir/src"
    printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n%s\ntokio = { version = "1", features = ["macros", "rt-multi-thread"] }\n\n[workspace]\n' \
        "consumer-$1" "$2" > "$dir/Cargo.toml"
    printf '%s\n' "$3" > "$dir/src/main.rs"
    case $1 in progenitor*) ;; *) cp "$ROOT/Cargo.lock" "$dir/Cargo.lock" ;; esac
    cargo fetch --manifest-path "$dir/Cargo.toml" -q
}
consumer one-vendor \
    "api-token-clients = { path = \"$ROOT/generated\", default-features = false, features = [\"apivideo\"] }" \
    'use api_token_clients::{apivideo, runtime};
#[tokio::main]
async fn main() {
    let client = apivideo::Client::new("https://ws.api.video", apivideo::Credentials::default(), runtime::Config::default());
    println!("{}", client.is_ok());
}'
consumer all-vendors \
    "api-token-clients = { path = \"$ROOT/generated\" }" \
    'use api_token_clients::*;
#[tokio::main]
async fn main() {
    let config = runtime::Config::default;
    println!("{}", a2e::Client::new("https://x.example", a2e::Credentials::default(), config()).is_ok());
    println!("{}", actian_vectorai::Client::new("https://x.example", actian_vectorai::Credentials::default(), config()).is_ok());
    println!("{}", apivideo::Client::new("https://x.example", apivideo::Credentials::default(), config()).is_ok());
    println!("{}", cellcast::Client::new("https://x.example", cellcast::Credentials::default(), config()).is_ok());
    println!("{}", tencent_vod::Client::new("https://x.example", tencent_vod::Credentials::default(), config()).is_ok());
}'
consumer progenitor \
    "progenitor-apivideo = { path = \"$WORK/progenitor-apivideo\" }" \
    'use progenitor_apivideo::ClientInfo;
#[tokio::main]
async fn main() {
    let client = progenitor_apivideo::Client::new("https://ws.api.video");
    println!("{}", client.baseurl());
}'
# progenitor's crate has no TLS of its own (its reqwest has default features off), so it cannot
# reach an https server as generated; this consumer adds what a user must add to use it.
consumer progenitor-tls \
    "progenitor-apivideo = { path = \"$WORK/progenitor-apivideo\" }
reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\"] }" \
    'use progenitor_apivideo::ClientInfo;
#[tokio::main]
async fn main() {
    let client = progenitor_apivideo::Client::new("https://ws.api.video");
    println!("{}", client.baseurl());
}'

build() { echo "cargo build -q --manifest-path $WORK/$1/Cargo.toml"; }
clean() { echo "cargo clean -q --manifest-path $WORK/$1/Cargo.toml"; }
for c in one-vendor all-vendors progenitor progenitor-tls; do eval "$(build $c)"; done # warm the registry cache

# RUNS_CLEAN=0 skips the clean builds (minutes each) to re-measure only the rebuilds.
rm -f "$WORK/clean.md"
if [ "$RUNS_CLEAN" -gt 0 ]; then
    hyperfine --runs "$RUNS_CLEAN" --export-markdown "$WORK/clean.md" \
        -n "clean: one vendor" --prepare "$(clean one-vendor)" "$(build one-vendor)" \
        -n "clean: all five" --prepare "$(clean all-vendors)" "$(build all-vendors)" \
        -n "clean: progenitor" --prepare "$(clean progenitor)" "$(build progenitor)" \
        -n "clean: progenitor + TLS" --prepare "$(clean progenitor-tls)" "$(build progenitor-tls)"
fi
hyperfine --runs "$RUNS_REBUILD" --warmup 1 --export-markdown "$WORK/rebuild.md" \
    -n "rebuild: one vendor" --prepare "touch $ROOT/generated/src/lib.rs" "$(build one-vendor)" \
    -n "rebuild: all five" --prepare "touch $ROOT/generated/src/lib.rs" "$(build all-vendors)" \
    -n "rebuild: progenitor" --prepare "touch $WORK/progenitor-apivideo/src/lib.rs" "$(build progenitor)" \
    -n "rebuild: progenitor + TLS" --prepare "touch $WORK/progenitor-apivideo/src/lib.rs" "$(build progenitor-tls)"
cat $(ls "$WORK/clean.md" 2>/dev/null) "$WORK/rebuild.md" | tee "$WORK/results.md"
