#!/bin/bash
# data/screenshots/take-screenshots.sh BUILD-DIR [DISPLAY]
#
# Takes the AppStream screenshots from the real program of BUILD-DIR at
# 1280×800: the public-domain pages in pages/ are served on 127.0.0.1 and
# clipped with `gloss --clip`; the Walden excerpt gets highlights, notes and
# tags written into its clip.json as the app writes them; then the window
# shows it in the reader with the annotations panel, the library with
# search results, and the same in the dark style. Needs Xvfb, xdotool,
# ImageMagick's import, python3 and gdbus. Writes reader.png, search.png
# and dark.png beside this script.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
display=${2:-:93}
app_id=$(sed -n 's/^#define APP_ID "\(.*\)"$/\1/p' "$build/config.h")
object_path=/$(echo "$app_id" | tr . /)
root=$(mktemp -d)
pids=()

cleanup () {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT

export HOME=$root
export XDG_CONFIG_HOME=$root/config XDG_DATA_HOME=$root/data XDG_CACHE_HOME=$root/cache
export GLOSS_LIBRARY=$root/library
export GSETTINGS_BACKEND=keyfile
export GSETTINGS_SCHEMA_DIR=$build/data
export NO_AT_BRIDGE=1
export DISPLAY=$display
mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings" "$GLOSS_LIBRARY"

if ! xdpyinfo >/dev/null 2>&1; then
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp &
  pids+=($!)
  for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$here/pages" "$port" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/walden.html" >/dev/null && break; sleep 0.1; done

settings () {
  cat > "$XDG_CONFIG_HOME/glib-2.0/settings/keyfile" <<EOF
[${object_path#/}]
window-width=1280
window-height=800

[org/gnome/desktop/interface]
color-scheme='$1'
EOF
}
settings default

# One session bus for everything: the clipping program and the window.
eval "$(dbus-launch --sh-syntax)"
pids+=("$DBUS_SESSION_BUS_PID")

"$build/src/gloss" --clip "http://127.0.0.1:$port/origin.html" \
                          "http://127.0.0.1:$port/self-reliance.html" \
                          "http://127.0.0.1:$port/walden.html"

# Highlights, notes and tags, at their places in article.txt.
walden_id=$(python3 - "$GLOSS_LIBRARY" <<'EOF'
import datetime, json, os, sys, uuid
library = sys.argv[1]
now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
# Where these texts live on the web, rather than the local test server.
sources = {
    'walden.html': 'https://en.wikisource.org/wiki/Walden_(1854)/Where_I_Lived,_and_What_I_Lived_For',
    'origin.html': 'https://en.wikisource.org/wiki/On_the_Origin_of_Species_(1859)/Introduction',
    'self-reliance.html': 'https://en.wikisource.org/wiki/Essays:_First_Series/Self-Reliance',
}
for clip in sorted(os.listdir(os.path.join(library, 'clips'))):
    folder = os.path.join(library, 'clips', clip)
    with open(os.path.join(folder, 'clip.json'), encoding='utf-8') as f:
        data = json.load(f)
    page = data['url'].rsplit('/', 1)[-1]
    data['url'] = sources[page]
    if page != 'walden.html':
        with open(os.path.join(folder, 'clip.json'), 'w', encoding='utf-8') as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
            f.write('\n')
        continue
    with open(os.path.join(folder, 'article.txt'), encoding='utf-8') as f:
        text = f.read()
    marks = [
        ('I went to the woods because I wished to live deliberately', 'yellow',
         'The sentence everyone quotes. Read the rest of the paragraph too.'),
        ('Our life is frittered away by detail.', 'pink', ''),
        ('Simplicity, simplicity, simplicity!', 'green',
         'Compare with the chapter on Economy: what does he actually spend?'),
        ('Time is but the stream I go a-fishing in.', 'blue', ''),
        ('fish in the sky, whose bottom is pebbly with stars', 'purple', 'Lovely image.'),
    ]
    annotations = []
    for quote, colour, note in marks:
        start = text.index(quote)
        end = start + len(quote)
        annotations.append({
            'id': str(uuid.uuid4()), 'created': now, 'modified': now,
            'color': colour, 'note': note,
            'target': {'selector': [
                {'type': 'TextQuoteSelector', 'exact': quote,
                 'prefix': text[max(0, start - 32):start], 'suffix': text[end:end + 32]},
                {'type': 'TextPositionSelector', 'start': start, 'end': end},
            ]},
        })
    data['annotations'] = annotations
    data['tags'] = ['philosophy', 'simplicity', 'to reread']
    data['note'] = 'Thoreau on living **deliberately**: for the essay on attention.'
    data['modified'] = now
    with open(os.path.join(folder, 'clip.json'), 'w', encoding='utf-8') as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write('\n')
    print(clip)
EOF
)

provider () {
  gdbus call --session --dest "$app_id" --object-path "$object_path/SearchProvider" \
    --method "org.gnome.Shell.SearchProvider2.$1" "${@:2}" >/dev/null
}

start_window () {
  "$build/src/gloss" &
  window_pid=$!
  pids+=("$window_pid")
  for _ in $(seq 300); do
    gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.NameHasOwner "$app_id" 2>/dev/null | grep -q true && break
    sleep 0.1
  done
  window=$(xdotool search --sync --onlyvisible --pid "$window_pid" | head -1)
}

stop_window () {
  gdbus call --session --dest "$app_id" --object-path "$object_path" \
    --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null
  wait "$window_pid" || true
}

shoot () {
  # Web content and transitions settle; this is a picture, not a test.
  sleep 6
  import -window "$window" "$here/$1"
  echo "wrote $here/$1"
}

reader_with_panel () {
  provider ActivateResult "'$walden_id'" "['deliberately']" 0
  sleep 8
  # The Annotations toggle of the header bar, as a person would click it.
  xdotool mousemove --window "$window" 1097 28 click 1 mousemove --window "$window" 640 700
}

start_window
reader_with_panel
shoot reader.png
provider LaunchSearch "['facts', 'OR', 'thought']" 0
shoot search.png
stop_window

settings prefer-dark
start_window
reader_with_panel
shoot dark.png
stop_window
