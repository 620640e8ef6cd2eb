#!/usr/bin/env bash
# Codegen cost, ours against progenitor 0.15.1, on the same input files, whole process.
#
#   tools/bench-codegen.sh                 # every input, instructions and wall time
#   tools/bench-codegen.sh --build-cost    # also: cargo check/build of nexus's generated client
#   ONLY="apivideo synthetic100" RUNS=3 CALLGRIND=0 tools/bench-codegen.sh
#       (inputs: apivideo description20mb synthetic100 synthetic1000 nexus github;
#        CALLGRIND=0: no valgrind)
#
# Inputs: specs/apivideo.yaml (4 operations), the same with a 20 MB `info.description` (one
# long prose line: the cost of text a spec carries, not of its operations), the codegen
# bench's synthetic specs of 100 and
# 1,000 operations (written by `cargo run -p generator --example synthetic_spec`), and Oxide's
# nexus.json and GitHub's api.github.com.json from ../shared/third-party-specs (THIRD_PARTY=DIR
# elsewhere; skipped with a message when absent). progenitor panics on api.video's spec as it
# is (it allows one error body type per operation), so it reads a copy with only the 2xx
# responses, as tools/build-cost.sh does; ours reads the spec as it is.
#
# Tools, each writing a whole crate into an empty folder:
#   ours, dev       target/debug/xtask codegen --specs DIR --out DIR (what `cargo xtask codegen` runs)
#   ours, release   the same binary built with --release
#   progenitor      cargo-progenitor 0.15.1 (`cargo install --locked --root PROGENITOR_ROOT`,
#                   default ../tools-progenitor beside the checkout; installed when missing).
#                   It formats its output with rustfmt's unstable options, so it needs the
#                   nightly rustfmt (`rustup component add rustfmt --toolchain nightly`), which
#                   it finds by itself (running `rustc -V` of each toolchain first).
# Measures (valgrind and hyperfine from Debian's packages; hyperfine installed when missing):
#   instructions    valgrind --tool=callgrind --trace-children=yes, one run, the totals of every
#                   process summed (progenitor's rustfmt included); independent of the load.
#                   CALLGRIND=0 skips them (a dev-profile run on GitHub's spec takes minutes).
#   wall time       hyperfine, mean of RUNS runs (default 5) after one warm-up, the output
#                   folder emptied before each; depends on the machine and its load.
#   lines/operation every .rs line written (ours: the module, the CLI module, lib.rs;
#                   progenitor's: lib.rs) over the spec's operations (skipped ones included).
# --build-cost: nexus.json's generated client as a scratch crate of its own (ours: our module
# and lib.rs on api-token-clients without vendor features; progenitor's: its crate with
# reqwest's default TLS, rustls, which its users need for https), each in its own
# CARGO_TARGET_DIR under WORK; one hyperfine run each of `cargo check` and `cargo build` (dev
# profile) from an empty target directory (a user's first build, dependencies included), then
# after `cargo clean -p` of that crate alone (the generated code).
# Results: WORK/results.md (WORK defaults to $CARGO_TARGET_DIR/bench-codegen).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=${WORK:-$TARGET/bench-codegen}
THIRD_PARTY=${THIRD_PARTY:-$ROOT/../shared/third-party-specs}
PROGENITOR_ROOT=${PROGENITOR_ROOT:-$ROOT/../tools-progenitor}
RUNS=${RUNS:-5}
PLAIN_TIMEOUT=${PLAIN_TIMEOUT:-120}
CALLGRIND=${CALLGRIND:-1}
ONLY=${ONLY:-}
BUILD_COST=0
for arg in "$@"; do
    case $arg in
        --build-cost) BUILD_COST=1 ;;
        *) echo "usage: $0 [--build-cost]" >&2; exit 2 ;;
    esac
done
mkdir -p "$WORK/bin" "$WORK/specs"
RESULTS=$WORK/results.tsv
: > "$RESULTS"

if ! command -v hyperfine >/dev/null; then
    apt-get install -y hyperfine >/dev/null 2>&1 || { apt-get update -q && apt-get install -y hyperfine; }
fi
command -v valgrind >/dev/null || [ "$CALLGRIND" = 0 ] \
    || { echo "valgrind is missing (apt-get install valgrind), or set CALLGRIND=0" >&2; exit 1; }
PROGENITOR=$PROGENITOR_ROOT/bin/cargo-progenitor
if [ ! -x "$PROGENITOR" ] || ! grep -q '"cargo-progenitor 0.15.1 ' "$PROGENITOR_ROOT/.crates.toml"; then
    cargo install cargo-progenitor --version 0.15.1 --locked --root "$PROGENITOR_ROOT"
fi
# progenitor finds the nightly rustfmt itself (asking each toolchain's rustc for its version,
# counted too: that is how its users run it); without one it panics after generating.
rustup which --toolchain nightly rustfmt >/dev/null 2>&1 || {
    echo "progenitor needs the nightly rustfmt: rustup component add rustfmt --toolchain nightly" >&2
    exit 1
}

# Both profiles of the same sources; copied out because other checkouts may share the target
# directory (and the same binary names) and rebuild them while this runs.
cargo build -q -p xtask
cargo build -q --release -p xtask
cp "$TARGET/debug/xtask" "$WORK/bin/xtask-dev"
cp "$TARGET/release/xtask" "$WORK/bin/xtask-release"

# One folder per input (our codegen reads every spec of a folder), and progenitor's file.
add_input() { # name, our spec file, progenitor's spec file
    local dir=$WORK/specs/$1
    rm -rf "$dir" && mkdir -p "$dir/ours"
    cp "$2" "$dir/ours/"
    cp "$3" "$dir/progenitor.${3##*.}"
}
wanted() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }
INPUTS=()
if wanted apivideo; then
    python3 - "$ROOT/specs/apivideo.yaml" "$WORK/apivideo-2xx.yaml" <<'PYEOF'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
for item in spec["paths"].values():
    for op in item.values():
        if isinstance(op, dict) and "responses" in op:
            op["responses"] = {k: v for k, v in op["responses"].items() if str(k).startswith("2")}
yaml.safe_dump(spec, open(sys.argv[2], "w"), sort_keys=False)
PYEOF
    add_input apivideo "$ROOT/specs/apivideo.yaml" "$WORK/apivideo-2xx.yaml"
    INPUTS+=(apivideo)
fi
if wanted description20mb; then
    # Ours reads the spec with it; progenitor its 2xx-only copy, as for apivideo.
    python3 - "$ROOT/specs/apivideo.yaml" "$WORK/description20mb.yaml" "$WORK/description20mb-2xx.yaml" <<'PYEOF'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
sentence = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "
spec["info"]["description"] = sentence * (20_000_000 // len(sentence))
yaml.safe_dump(spec, open(sys.argv[2], "w"), sort_keys=False, width=float("inf"))
for item in spec["paths"].values():
    for op in item.values():
        if isinstance(op, dict) and "responses" in op:
            op["responses"] = {k: v for k, v in op["responses"].items() if str(k).startswith("2")}
yaml.safe_dump(spec, open(sys.argv[3], "w"), sort_keys=False, width=float("inf"))
PYEOF
    add_input description20mb "$WORK/description20mb.yaml" "$WORK/description20mb-2xx.yaml"
    INPUTS+=(description20mb)
fi
for n in 100 1000; do
    wanted "synthetic$n" || continue
    cargo run -q -p generator --example synthetic_spec -- "$n" "$WORK/synthetic$n.yaml"
    add_input "synthetic$n" "$WORK/synthetic$n.yaml" "$WORK/synthetic$n.yaml"
    INPUTS+=("synthetic$n")
done
for spec in nexus.json api.github.com.json; do
    name=${spec%.json}
    name=${name#api.}
    name=${name%.com}
    wanted "$name" || continue
    if [ -f "$THIRD_PARTY/$spec" ]; then
        add_input "$name" "$THIRD_PARTY/$spec" "$THIRD_PARTY/$spec"
        INPUTS+=("$name")
    else
        echo "skipping $name: $THIRD_PARTY/$spec is absent (THIRD_PARTY=DIR to point elsewhere)" >&2
    fi
done

# The command line of each tool for an input, writing into $out.
tool_cmd() { # tool, input
    local dir=$WORK/specs/$2 out=$WORK/out/$2-$1
    case $1 in
        dev | release) echo "$WORK/bin/xtask-$1 codegen --specs $dir/ours --out $out" ;;
        progenitor) echo "$PROGENITOR progenitor -i $(echo "$dir"/progenitor.*) -o $out -n bench-$2 -v 0.1.0" ;;
    esac
}
record() { echo -e "$1\t$2\t$3\t$4" >> "$RESULTS"; } # input, tool, measure, value

operations() {
    python3 - "$1" <<'PYEOF'
import json, sys, yaml
text = open(sys.argv[1]).read()
spec = json.loads(text) if sys.argv[1].endswith(".json") else yaml.safe_load(text)
methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
print(sum(1 for item in spec["paths"].values() for m in item if m in methods))
PYEOF
}

for input in "${INPUTS[@]}"; do
    record "$input" spec operations "$(operations "$(echo "$WORK/specs/$input"/ours/*)")"
    for tool in progenitor release dev; do
        out=$WORK/out/$input-$tool
        rm -rf "$out"
        # One plain run first: does it succeed, and how many lines does it write. A tool that
        # takes longer than PLAIN_TIMEOUT seconds (progenitor's rustfmt on the 20 MB
        # description ran for more than 5 minutes) is recorded as timed out, not measured.
        status=0
        timeout "$PLAIN_TIMEOUT" $(tool_cmd "$tool" "$input") > "$WORK/$input-$tool.log" 2>&1 || status=$?
        if [ "$status" = 124 ]; then
            echo "$tool on $input timed out after $PLAIN_TIMEOUT s" >&2
            record "$input" "$tool" failed "timed out after $PLAIN_TIMEOUT s"
            continue
        fi
        if [ "$status" != 0 ]; then
            # A panic's message is on the line after its location.
            why=$(grep -m1 -A1 "panicked at" "$WORK/$input-$tool.log" | tail -1 | cut -c1-100 || true)
            [ -n "$why" ] || why=$(grep -m1 "error" "$WORK/$input-$tool.log" | cut -c1-100 || true)
            echo "$tool on $input failed: ${why:-see $WORK/$input-$tool.log}" >&2
            record "$input" "$tool" failed "${why:-failed}"
            continue
        fi
        record "$input" "$tool" lines "$(find "$out" -name '*.rs' -exec cat {} + | wc -l)"
        if [ "$CALLGRIND" != 0 ]; then
            cg=$WORK/callgrind/$input-$tool
            rm -rf "$cg" "$out" && mkdir -p "$cg"
            echo "callgrind: $tool on $input" >&2
            valgrind -q --tool=callgrind --trace-children=yes --callgrind-out-file="$cg/%p.out" \
                $(tool_cmd "$tool" "$input") > /dev/null 2>"$cg/stderr"
            record "$input" "$tool" instructions \
                "$(awk '/^totals:/ { s += $2 } END { printf "%.0f\n", s }' "$cg"/*.out)"
        fi
        hyperfine -N --style basic --warmup 1 --runs "$RUNS" --prepare "rm -rf $out" \
            --export-json "$WORK/$input-$tool.json" "$(tool_cmd "$tool" "$input")" >&2
        record "$input" "$tool" seconds \
            "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$WORK/$input-$tool.json")"
    done
done

if [ "$BUILD_COST" = 1 ]; then
    # This run's output only: an earlier run's in the same WORK would be measured silently.
    if [[ " ${INPUTS[*]} " != *" nexus "* ]] || [ ! -d "$WORK/out/nexus-dev" ] \
        || [ ! -d "$WORK/out/nexus-progenitor" ]; then
        echo "--build-cost needs nexus.json generated by both tools in this run (absent, or left out by ONLY)" >&2
        exit 1
    fi
    scratch=$WORK/build-cost
    # Sources replaced (lock files kept: the same dependency versions from run to run).
    rm -rf "$scratch/ours/src" "$scratch/progenitor/src" && mkdir -p "$scratch/ours" "$scratch/progenitor"
    # Ours: the generated module and lib.rs, the runtime from the product crate (no vendor).
    cp -r "$WORK/out/nexus-dev/." "$scratch/ours/"
    rm -rf "$scratch/ours/src/cli"
    sed -i '/^\/\/\/ The command-line tool/,$d' "$scratch/ours/src/lib.rs"
    printf '[package]\nname = "bench-nexus-ours"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\napi-token-clients = { path = "%s", default-features = false }\nserde = { version = "1", features = ["derive"] }\nserde_json = { version = "1", features = ["preserve_order"] }\n\n[features]\nmock = []\n\n[workspace]\n' \
        "$ROOT/generated" > "$scratch/ours/Cargo.toml"
    cp "$ROOT/Cargo.lock" "$scratch/ours/Cargo.lock"
    # progenitor's crate as it writes it, with the TLS that https needs.
    cp -r "$WORK/out/nexus-progenitor/." "$scratch/progenitor/"
    sed -i 's/^\(reqwest = .*features = \[\)/\1"rustls", /' "$scratch/progenitor/Cargo.toml"
    grep -q '^\[workspace\]' "$scratch/progenitor/Cargo.toml" \
        || printf '\n[workspace]\n' >> "$scratch/progenitor/Cargo.toml"
    measure() { # side, action, measure name, prepare command
        local dir=$scratch/$1
        hyperfine --style basic --runs 1 --prepare "$4" --export-json "$WORK/build-$1-$3.json" \
            "CARGO_TARGET_DIR=$dir/target cargo $2 -q --manifest-path $dir/Cargo.toml" >&2
        record nexus-crate "$1" "$3" \
            "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$WORK/build-$1-$3.json")"
    }
    for side in ours progenitor; do
        dir=$scratch/$side
        name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$dir/Cargo.toml" | head -1)
        # What a user's first build costs: everything, dependencies and TLS included.
        for action in check build; do
            measure "$side" "$action" "$action-clean" "rm -rf $dir/target"
        done
        for action in check build; do
            CARGO_TARGET_DIR=$dir/target cargo "$action" -q --manifest-path "$dir/Cargo.toml"
            # Its own artifacts removed, incremental cache included (a touch alone would
            # find everything in that cache and measure nothing): the generated code alone.
            measure "$side" "$action" "$action" \
                "env CARGO_TARGET_DIR=$dir/target cargo clean -q -p $name --manifest-path $dir/Cargo.toml"
        done
    done
fi

python3 - "$RESULTS" > "$WORK/results.md" <<'PYEOF'
import collections, sys
r = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    name, tool, measure, value = line.rstrip("\n").split("\t")
    r[name][(tool, measure)] = value
def instr(name, tool):
    v = r[name]
    if (tool, "failed") in v: return "fails: " + v[(tool, "failed")].replace("|", "\\|")
    x = v.get((tool, "instructions"))
    return f"{float(x) / 1e6:,.0f} M" if x else "-"
def secs(name, tool):
    v = r[name]
    if (tool, "failed") in v: return "fails"
    x = v.get((tool, "seconds"))
    if not x: return "-"
    return f"{float(x):.2f} s" if float(x) >= 1 else f"{float(x) * 1000:.0f} ms"
def per_op(name, tool):
    v = r[name]
    x = v.get((tool, "lines"))
    return f"{int(x) / int(v[('spec', 'operations')]):,.0f}" if x else "-"
def ratio(name, measure):
    v = r[name]
    a, b = v.get(("release", measure)), v.get(("progenitor", measure))
    return f"{float(a) / float(b):.2f}" if a and b else "-"
print("| input (operations) | instructions: progenitor | ours, release | ours, dev | release / progenitor "
      "| wall: progenitor | ours, release | ours, dev | lines per operation: progenitor | ours |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name, v in r.items():
    if name == "nexus-crate": continue
    print(f"| {name} ({v[('spec', 'operations')]}) | {instr(name, 'progenitor')} | {instr(name, 'release')} "
          f"| {instr(name, 'dev')} | {ratio(name, 'instructions')} | {secs(name, 'progenitor')} "
          f"| {secs(name, 'release')} | {secs(name, 'dev')} | {per_op(name, 'progenitor')} | {per_op(name, 'dev')} |")
if "nexus-crate" in r:
    v = r["nexus-crate"]
    print("\n| nexus's generated client, dev profile | ours | progenitor | ours / progenitor |")
    print("|---|---|---|---|")
    for action, what in (("check-clean", "`cargo check` from clean, dependencies included"),
                         ("build-clean", "`cargo build` from clean, dependencies included"),
                         ("check", "`cargo check`, the generated crate alone"),
                         ("build", "`cargo build`, the generated crate alone")):
        a, b = float(v[("ours", action)]), float(v[("progenitor", action)])
        print(f"| {what} | {a:.1f} s | {b:.1f} s | {a / b:.2f} |")
PYEOF
cat "$WORK/results.md"
