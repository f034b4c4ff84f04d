#!/bin/sh
# build-aux/run-test.sh: runs one test program that needs a display and a
# session bus. Under CI there is neither: a headless X server (xvfb-run) and
# a private D-Bus session are started for the test and stopped after it.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -e

if [ -z "$DISPLAY" ] && [ -z "$WAYLAND_DISPLAY" ]; then
  # A headless server has no GPU, and Mesa's software driver crashes now
  # and then in WebKit's threaded compositor (swrast_dri.so in the kernel
  # log; the web process dies and a test waits for an answer that never
  # comes). Nothing needs compositing on a screen nobody sees; the app
  # does the same when it starts its own headless server for --clip.
  export WEBKIT_DISABLE_COMPOSITING_MODE=1
  # The server picks a free display itself (-displayfd) and tells us
  # which: `xvfb-run -a` guesses one from lock files, and two tests
  # started at the same moment took the same number ("cannot open
  # display :99").
  dir=$(mktemp -d "${TMPDIR:-/tmp}/gloss-xvfb.XXXXXX")
  mkfifo "$dir/display"
  Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3>"$dir/display" 2>"$dir/log" &
  xvfb=$!
  trap 'kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null; rm -rf "$dir"' EXIT
  trap 'exit 143' TERM INT
  if ! read -r number <"$dir/display" || [ -z "$number" ]; then
    echo "run-test.sh: the headless X server did not start:" >&2
    cat "$dir/log" >&2
    exit 1
  fi
  status=0
  DISPLAY=":$number" dbus-run-session -- "$@" || status=$?
  exit "$status"
fi

if [ -z "$DBUS_SESSION_BUS_ADDRESS" ]; then
  exec dbus-run-session -- "$@"
fi

exec "$@"
