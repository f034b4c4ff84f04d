#!/bin/sh
# data/check-man.sh PAGE: renders the man page as man(1) would and fails on
# any warning from groff or man, or when a section is missing.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

page=$1
warnings=$(groff -man -ww -z -Tutf8 "$page" 2>&1)
if [ -n "$warnings" ]; then
  echo "not ok: groff warns:"
  echo "$warnings"
  exit 1
fi

if command -v man >/dev/null 2>&1; then
  text=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -l "$page" 2>"$page.err")
  if [ -s "$page.err" ]; then
    echo "not ok: man warns:"
    cat "$page.err"
    rm -f "$page.err"
    exit 1
  fi
  rm -f "$page.err"
else
  text=$(groff -man -Tutf8 "$page" 2>/dev/null)
fi

for section in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' EXAMPLES; do
  echo "$text" | grep -q "^$section\$" || { echo "not ok: no $section section"; exit 1; }
done
echo "ok: the page renders without a warning"
