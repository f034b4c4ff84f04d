#!/bin/sh
# run-fuzz.sh SOURCE_DIR BUILD_DIR SECONDS TARGET CORPUS CORE_SOURCE…
#
# Builds the libFuzzer target tests/fuzz/TARGET.c with clang's libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer against the given files of
# src/core/, and runs it for SECONDS on the seed corpus CORPUS (a folder
# relative to SOURCE_DIR). New inputs go to a working corpus in
# BUILD_DIR/TARGET/, never into the source tree. Exits 77 (skipped, for
# meson) when clang or its fuzzer runtime is missing. tests/meson.build
# names each target with its corpus and sources.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

usage="usage: run-fuzz.sh SOURCE_DIR BUILD_DIR SECONDS TARGET CORPUS CORE_SOURCE…"
src=${1:?$usage}
build=${2:?$usage}
seconds=${3:?$usage}
target=${4:?$usage}
corpus=${5:?$usage}
shift 5
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
cc=${CLANG:-clang}
core="$src/src/core"
out="$build/$target"

if ! command -v "$cc" >/dev/null 2>&1; then
  echo "SKIP: $cc not found"
  exit 77
fi

if [ ! -f "$build/config.h" ]; then
  echo "SKIP: no config.h in $build (run meson setup first)"
  exit 77
fi

mkdir -p "$out/corpus-run"

# Is the libFuzzer runtime there?
printf 'int LLVMFuzzerTestOneInput (const unsigned char *d, unsigned long n) { return 0; }\n' \
  > "$out/probe.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$out/probe.c" -o "$out/probe" >/dev/null 2>&1; then
  echo "SKIP: $cc cannot link -fsanitize=fuzzer (libclang_rt.fuzzer missing?)"
  exit 77
fi

# The core files the target needs, relative to src/core/.
sources=
for f in "$@"; do
  sources="$sources $core/$f"
done

pkgs="glib-2.0 gio-2.0 gio-unix-2.0 json-glib-1.0 gmodule-2.0 libxml-2.0"
# shellcheck disable=SC2046,SC2086
"$cc" -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$build" -I"$core" -I"$core/library" -I"$core/search" -I"$core/export" -I"$core/import" $(pkg-config --cflags $pkgs) \
  "$src/tests/fuzz/$target.c" $sources \
  $(pkg-config --libs $pkgs) -lm \
  -o "$out/$target"

# GLib's slice allocator hides use-after-free from ASan before 2.76.
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:fast_unwind_on_malloc=0}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$src/build-aux/fuzz-lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Any failure of the target is a failure of the test: a GLib assertion
# that fires under the fuzzer can exit 77, which meson would count as a
# skip.
status=0
"$out/$target" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$out/" \
  "$out/corpus-run" "$src/$corpus" || status=$?

if [ "$status" -eq 77 ]; then
  status=1
fi
exit "$status"
