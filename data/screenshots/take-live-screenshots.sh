#!/bin/bash
# data/screenshots/take-live-screenshots.sh BUILD-DIR OUT-DIR [DISPLAY]
#
# Pictures of the live page (issue 14) from the real program of BUILD-DIR
# at 1280×800, to look at, not for AppStream: the Walden excerpt of pages/
# is served on 127.0.0.1, clipped with `gloss --clip`, given highlights
# and notes in its clip.json as the app writes them, then shown live:
#   live-clipped.png    the live page of the clip: Open Clip, the marks,
#                       the annotations panel (F9);
#   live-popover.png    a highlight clicked on the live page: its popover;
#   live-unclipped.png  the same page from a second address that is not in
#                       the library: Clip;
#   live-changed.png    the page changed on the server (a paragraph gone,
#                       a word edited inside a highlight) and reloaded: the
#                       panel's "Not on this page".
# Needs Xvfb, xdotool, ImageMagick's import, python3 and gdbus.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
out=$(mkdir -p "$2" && cd "$2" && pwd)
display=${3:-:93}
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
mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings" "$GLOSS_LIBRARY" "$root/www/copy"

if ! xdpyinfo >/dev/null 2>&1; then
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp &
  pids+=($!)
  for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
fi

cp "$here/pages/walden.html" "$root/www/walden.html"
cp "$here/pages/walden.html" "$root/www/copy/walden.html"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$root/www" "$port" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/walden.html" >/dev/null && break; sleep 0.1; done
page=http://127.0.0.1:$port/walden.html

cat > "$XDG_CONFIG_HOME/glib-2.0/settings/keyfile" <<EOF
[${object_path#/}]
window-width=1280
window-height=800
EOF

eval "$(dbus-launch --sh-syntax)"
pids+=("$DBUS_SESSION_BUS_PID")

"$build/src/gloss" --clip "$page"

# Highlights and notes at their places in article.txt.
python3 - "$GLOSS_LIBRARY" <<'EOF'
import datetime, json, os, sys, uuid
library = sys.argv[1]
now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
for clip in os.listdir(os.path.join(library, 'clips')):
    folder = os.path.join(library, 'clips', clip)
    with open(os.path.join(folder, 'clip.json'), encoding='utf-8') as f:
        data = json.load(f)
    with open(os.path.join(folder, 'article.txt'), encoding='utf-8') as f:
        text = f.read()
    marks = [
        ('I went to the woods because I wished to live deliberately', 'yellow',
         'The sentence everyone quotes. Read the rest of the paragraph too.'),
        ('Our life is frittered away by detail.', 'pink', ''),
        ('Simplicity, simplicity, simplicity!', 'green',
         'Compare with the chapter on Economy: what does he actually spend?'),
        ('Time is but the stream I go a-fishing in.', 'blue', ''),
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
    data['tags'] = ['philosophy', 'to reread']
    data['modified'] = now
    with open(os.path.join(folder, 'clip.json'), 'w', encoding='utf-8') as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write('\n')
EOF

"$build/src/gloss" "$page" &
window_pid=$!
pids+=("$window_pid")
window=$(xdotool search --sync --onlyvisible --pid "$window_pid" | head -1)

shoot () {
  # Web content and transitions settle; this is a picture, not a test.
  sleep 6
  import -window root "$out/$1"
  echo "wrote $out/$1"
}

focus_page () {
  xdotool mousemove --window "$window" 500 500 click 1
}

# The clipped page: Open Clip, its marks, the panel.
sleep 8
focus_page
xdotool key --window "$window" F9
shoot live-clipped.png

# A click on the first (yellow) highlight: its popover, note and colours.
xdotool mousemove --window "$window" 420 377 click 1
shoot live-popover.png
xdotool key --window "$window" Escape

# The same page from an address not in the library.
xdotool key --window "$window" ctrl+l
xdotool type --window "$window" "http://127.0.0.1:$port/copy/walden.html"
xdotool key --window "$window" Return
shoot live-unclipped.png

# Back to the clipped address, changed on the server meanwhile.
python3 - "$root/www/walden.html" <<'EOF'
import re, sys
path = sys.argv[1]
with open(path, encoding='utf-8') as f:
    html = f.read()
# The paragraph with "Simplicity, simplicity, simplicity!" goes.
html = re.sub(r'<p>[^<]*Simplicity, simplicity, simplicity![^<]*</p>', '', html, count=1)
# A word edited inside the blue highlight.
html = html.replace('Time is but the stream I go a-fishing in.', 'Time is only the stream I go a-fishing in.')
with open(path, 'w', encoding='utf-8') as f:
    f.write(html)
EOF
xdotool key --window "$window" ctrl+l
xdotool type --window "$window" "$page"
xdotool key --window "$window" Return
sleep 4
focus_page
shoot live-changed.png

gdbus call --session --dest "$app_id" --object-path "$object_path" \
  --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null || true
wait "$window_pid" || true
