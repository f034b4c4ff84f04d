#!/usr/bin/env python3
# check-layers.py SOURCE-ROOT: fails when a file includes a header of a
# layer it may not use (README.md, "Hacking"):
#
#   src/core  GLib, GIO, json-glib, SQLite (libxml2): nothing of cli, web, ui
#   src/cli   core             (gloss-cli-clip.*, which runs the web engine
#                               and is built into the GUI program, also web)
#   src/web   core             and GTK, WebKit, libsoup, but no libadwaita
#   src/ui    core, web        and everything
#   src/*.c   the GUI program: everything
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
src = os.path.join(root, 'src')

LAYERS = ['core', 'cli', 'web', 'ui']
ALLOWED = {
    'core': {'core'},
    'cli': {'core', 'cli'},
    'web': {'core', 'web'},
    'ui': {'core', 'web', 'ui'},
}
# Only the GUI program's own front-end for --clip may reach into web.
EXCEPTIONS = {
    ('cli', 'gloss-cli-clip.c'): {'web'},
    ('cli', 'gloss-cli-clip.h'): {'web'},
}
GUI_SYSTEM = re.compile(r'^(gtk/|gdk/|adwaita\.h|webkit/|jsc/|libsoup/|webkit2/|gsk/)')
FORBIDDEN_SYSTEM = {
    'core': GUI_SYSTEM,
    'cli': GUI_SYSTEM,
    'web': re.compile(r'^adwaita\.h'),
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def layer_of(path):
    rel = os.path.relpath(path, src).split(os.sep)
    return rel[0] if len(rel) > 1 and rel[0] in LAYERS else 'app'


def sources():
    for folder, _dirs, files in os.walk(src):
        for name in sorted(files):
            if name.endswith(('.c', '.h')):
                yield os.path.join(folder, name)


# Where each of our headers lives; the GUI program's own headers (src/*.h)
# belong to no layer below it.
owner = {}
for path in sources():
    if path.endswith('.h'):
        owner[os.path.basename(path)] = layer_of(path)

problems = []
checked = 0
for path in sources():
    layer = layer_of(path)
    if layer == 'app':
        continue
    name = os.path.basename(path)
    allowed = ALLOWED[layer] | EXCEPTIONS.get((layer, name), set())
    with open(path, encoding='utf-8') as f:
        text = f.read()
    for quote, header in INCLUDE.findall(text):
        checked += 1
        base = os.path.basename(header)
        rel = os.path.relpath(path, root)
        if quote == '"' and base in owner and owner[base] not in allowed:
            problems.append(f'{rel}: includes "{header}" of {owner[base]}; {layer} may use {", ".join(sorted(allowed))}')
        elif quote == '<' and layer in FORBIDDEN_SYSTEM and FORBIDDEN_SYSTEM[layer].match(header):
            problems.append(f'{rel}: includes <{header}>, which {layer} may not use')

if checked == 0:
    print('no includes found under', src)
    sys.exit(1)
for p in problems:
    print(p)
print(f'{checked} includes checked, {len(problems)} across the layers')
sys.exit(1 if problems else 0)
