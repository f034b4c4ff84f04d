#!/bin/sh
# run-fuzz.sh SOURCE_DIR BUILD_DIR [SECONDS]
#
# Builds tests/fuzz/fuzz-clip-json.c with clang's libFuzzer, AddressSanitizer
# and UndefinedBehaviorSanitizer against the core sources, and runs it for a
# fixed time on the seed corpus in tests/fuzz/corpus/. New inputs go to a
# working corpus in the build folder, never into the source tree. Exits 77
# (skipped, for meson) when clang or its fuzzer runtime is missing.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

src=${1:?usage: run-fuzz.sh SOURCE_DIR BUILD_DIR [SECONDS]}
build=${2:?usage: run-fuzz.sh SOURCE_DIR BUILD_DIR [SECONDS]}
seconds=${3:-20}
cc=${CLANG:-clang}
out="$build/fuzz"

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

pkgs="glib-2.0 gio-2.0 gio-unix-2.0 json-glib-1.0"
# shellcheck disable=SC2046
"$cc" -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$build" -I"$src/src/core" $(pkg-config --cflags $pkgs) \
  "$src/tests/fuzz/fuzz-clip-json.c" \
  "$src/src/core/gloss-error.c" \
  "$src/src/core/gloss-id.c" \
  "$src/src/core/gloss-json.c" \
  "$src/src/core/gloss-json-scan.c" \
  "$src/src/core/gloss-annotation.c" \
  "$src/src/core/gloss-clip.c" \
  "$src/src/core/gloss-anchor.c" \
  $(pkg-config --libs $pkgs) -lm \
  -o "$out/fuzz-clip-json"

# GLib's slice allocator hides use-after-free from ASan before 2.76.
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:fast_unwind_on_malloc=0}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$src/build-aux/fuzz-lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

exec "$out/fuzz-clip-json" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$out/" \
  "$out/corpus-run" "$src/tests/fuzz/corpus"
