#!/bin/sh
# run-fuzz-import.sh SOURCE_DIR BUILD_DIR [SECONDS]
#
# Builds tests/fuzz/fuzz-import.c with clang's libFuzzer, AddressSanitizer
# and UndefinedBehaviorSanitizer against the import parser, and runs it for
# a fixed time on the seed corpus in tests/fuzz/corpus-import/ (the import
# fixtures). New inputs go to a working corpus in the build folder. Exits 77
# (skipped, for meson) when clang or its fuzzer runtime is missing.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

src=${1:?usage: run-fuzz-import.sh SOURCE_DIR BUILD_DIR [SECONDS]}
build=${2:?usage: run-fuzz-import.sh SOURCE_DIR BUILD_DIR [SECONDS]}
seconds=${3:-20}
cc=${CLANG:-clang}
out="$build/fuzz-import"

if ! command -v "$cc" >/dev/null 2>&1; then
  echo "SKIP: $cc not found"
  exit 77
fi
if [ ! -f "$build/config.h" ]; then
  echo "SKIP: no config.h in $build (run meson setup first)"
  exit 77
fi

mkdir -p "$out/corpus-run"
printf 'int LLVMFuzzerTestOneInput (const unsigned char *d, unsigned long n) { return 0; }\n' \
  > "$out/probe.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$out/probe.c" -o "$out/probe" >/dev/null 2>&1; then
  echo "SKIP: $cc cannot link -fsanitize=fuzzer (libclang_rt.fuzzer missing?)"
  exit 77
fi

pkgs="glib-2.0 gio-2.0 gio-unix-2.0 json-glib-1.0"
core="$src/src/core"
# shellcheck disable=SC2046
"$cc" -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$build" -I"$core" $(pkg-config --cflags $pkgs) \
  "$src/tests/fuzz/fuzz-import.c" \
  "$core/gloss-import.c" "$core/gloss-error.c" "$core/gloss-id.c" \
  "$core/gloss-json.c" "$core/gloss-json-scan.c" "$core/gloss-annotation.c" \
  $(pkg-config --libs $pkgs) -lm \
  -o "$out/fuzz-import"

export G_SLICE=always-malloc
export G_DEBUG=gc-friendly
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:fast_unwind_on_malloc=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
if [ -f "$src/build-aux/fuzz-lsan.supp" ]; then
  export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$src/build-aux/fuzz-lsan.supp:print_suppressions=0}"
fi

exec "$out/fuzz-import" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$out/" \
  "$out/corpus-run" "$src/tests/fuzz/corpus-import"
