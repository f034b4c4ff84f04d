#!/bin/sh
# build-aux/run-test.sh: runs one test program that needs a display and a
# session bus. Under CI there is neither: a headless X server (xvfb-run) and
# a private D-Bus session are started for the test and stopped after it.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -e

if [ -z "$DISPLAY" ] && [ -z "$WAYLAND_DISPLAY" ]; then
  exec xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" \
    dbus-run-session -- "$@"
fi

if [ -z "$DBUS_SESSION_BUS_ADDRESS" ]; then
  exec dbus-run-session -- "$@"
fi

exec "$@"
