#!/bin/sh
# run-fuzz-import.sh SOURCE_DIR BUILD_DIR [SECONDS]
#
# The import parser (tests/fuzz/fuzz-import.c) under libFuzzer, seeded with
# the import fixtures in tests/data/import/ themselves, so that the seeds
# follow the fixtures instead of being a copy of them. The building,
# the sanitizers, the time limits and the skip with 77 are
# build-aux/run-fuzz.sh's, shared with the clip.json target; this names the
# target, its corpus and the core files it needs.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

usage="usage: run-fuzz-import.sh SOURCE_DIR BUILD_DIR [SECONDS]"
src=${1:?$usage}
build=${2:?$usage}

exec "$src/build-aux/run-fuzz.sh" "$src" "$build" "${3:-20}" \
  fuzz-import tests/data/import \
  gloss-import.c gloss-error.c gloss-id.c gloss-json.c gloss-json-scan.c \
  gloss-annotation.c
