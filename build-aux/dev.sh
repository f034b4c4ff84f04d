#!/bin/sh
# build-aux/dev.sh: the README's two commands.
#
#   build-aux/dev.sh run [ARGS…]   install what is missing, build, start Gloss
#   build-aux/dev.sh test          install what is missing, build, run every test
#
# Works on a fresh Debian 12 machine: Debian packages through apt-get (with
# sudo when not root), the page scripts through `npm ci`. A second run finds
# everything in place and installs nothing.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

cd "$(dirname "$0")/.."
top=$(pwd)
build=${GLOSS_BUILD:-_build}

# Build, run and test dependencies, by Debian 12 package name. README.md
# lists the same for those who install by hand.
packages="
  meson ninja-build pkg-config gcc gettext git
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libwebkitgtk-6.0-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libxml2-dev
  glib-networking gsettings-desktop-schemas adwaita-icon-theme fonts-dejavu-core
  xvfb xauth dbus dbus-x11 at-spi2-core
  desktop-file-utils appstream
  clang libclang-rt-14-dev
  libcmark-dev cmark-gfm libyaml-dev python3-jsonschema
  python3-pyatspi scdoc syncthing
  ripgrep
"

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

# Node.js from elsewhere (NodeSource, nvm) brings its own npm and conflicts
# with Debian's: ask for Debian's only where there is no npm at all.
if ! command -v npm >/dev/null 2>&1; then
  missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
  echo "Installing:$missing" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
fi

# Readability and Turndown, exactly as package-lock.json pins them.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi

werror=false
if [ "${CI:-}" = "true" ] || [ "${GLOSS_WERROR:-}" = "1" ]; then
  werror=true
fi

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" -Dwerror=$werror >&2
elif [ "$(meson introspect "$build" --buildoptions |
         python3 -c 'import json,sys; print(str([o["value"] for o in json.load(sys.stdin) if o["name"] == "werror"][0]).lower())')" != "$werror" ]; then
  meson configure "$build" -Dwerror=$werror >&2
fi

ninja -C "$build" >&2

command=${1:-run}
[ $# -gt 0 ] && shift

case "$command" in
  run)
    GSETTINGS_SCHEMA_DIR="$top/$build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}" \
      exec "$build/src/gloss" "$@"
    ;;
  test)
    exec meson test -C "$build" --print-errorlogs "$@"
    ;;
  *)
    echo "usage: $0 run [ARGS…] | test [MESON TEST ARGS…]" >&2
    exit 2
    ;;
esac
