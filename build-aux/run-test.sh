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
  exec xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" \
    dbus-run-session -- "$@"
fi

if [ -z "$DBUS_SESSION_BUS_ADDRESS" ]; then
  exec dbus-run-session -- "$@"
fi

exec "$@"
