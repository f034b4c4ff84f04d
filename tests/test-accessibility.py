#!/usr/bin/python3
# test-accessibility.py GLOSS GEN-LIBRARY APP-ID
#
# What a screen reader hears: starts the real program on a small generated
# library, with the accessibility bus of the session (at-spi-bus-launcher,
# started by D-Bus activation), and walks the AT-SPI tree of its window with
# pyatspi: in the empty window, then with a clip in the reader and the
# annotations panel open, then on the live page of that clip (Open Clip,
# More Clip Actions), served from 127.0.0.1. Fails on any button, toggle button or menu button
# whose name is empty, starts with "Gtk" (a type name read out instead of a
# name) or contains "_" (a mnemonic read as text), and when the panel does
# not name each highlight's colour.
#
# Run it with Debian's /usr/bin/python3 (python3-pyatspi), under a display
# and a session bus (build-aux/run-test.sh).
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

try:
    import pyatspi
except ImportError:
    print('1..0 # SKIP python3-pyatspi is not installed')
    sys.exit(77)

COLOURS = ('yellow', 'green', 'blue', 'pink', 'purple')
BUTTON_ROLES = {
    pyatspi.ROLE_PUSH_BUTTON: 'button',
    pyatspi.ROLE_TOGGLE_BUTTON: 'toggle button',
}
# Newer AT-SPI has a role of its own for menu buttons.
if hasattr(pyatspi, 'ROLE_PUSH_BUTTON_MENU'):
    BUTTON_ROLES[pyatspi.ROLE_PUSH_BUTTON_MENU] = 'menu button'


def wait_for(what, condition, timeout=60, fail=True):
    """Polls @condition until it returns something other than None or
    False; on timeout, fails the test or (with fail=False) returns None."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        # Not "if value": an accessible's truth is not whether it exists.
        if value is not None and value is not False:
            return value
        if time.monotonic() > deadline:
            if not fail:
                return None
            raise SystemExit(f'Bail out! timed out waiting for {what}')
        time.sleep(0.1)


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def walk(node, depth=0):
    """Every accessible under @node, depth first."""
    if node is None or depth > 80:
        return
    yield node
    try:
        children = list(node)
    except Exception:
        return
    for child in children:
        yield from walk(child, depth + 1)


def describe(node):
    path = []
    while node is not None and len(path) < 6:
        try:
            path.append(f'{node.getRoleName()} "{node.name}"')
            node = node.parent
        except Exception:
            break
    return ' < '.join(path)


def name_read_twice(name):
    """ "Clip Clip": a label and the label widget it is labelled by."""
    words = name.split()
    half = len(words) // 2
    return len(words) % 2 == 0 and half > 0 and words[:half] == words[half:]


def check_buttons(app, when):
    """Problems with the names of the buttons under @app."""
    problems = []
    count = 0
    for node in walk(app):
        try:
            role = node.getRole()
        except Exception:
            continue
        if role not in BUTTON_ROLES:
            continue
        count += 1
        name = node.name or ''
        if not name.strip():
            problems.append(f'{when}: a {BUTTON_ROLES[role]} has no name: {describe(node)}')
        elif name.startswith('Gtk'):
            problems.append(f'{when}: a {BUTTON_ROLES[role]} is named by its type "{name}": {describe(node)}')
        elif name_read_twice(name):
            problems.append(f'{when}: a {BUTTON_ROLES[role]} says its name twice "{name}": {describe(node)}')
        elif '_' in name:
            problems.append(f'{when}: a {BUTTON_ROLES[role]} has a mnemonic in its name "{name}": {describe(node)}')
    return count, problems


def find_named(app, name, roles=None):
    for node in walk(app):
        try:
            if node.name == name and (roles is None or node.getRole() in roles):
                return node
        except Exception:
            continue
    return None


def showing(node):
    # GTK 4.8 sets "visible" on what is shown, not "showing".
    try:
        return node.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        return False


def press(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'press', 'activate', 'toggle'):
            return action.doAction(i)
    return action.doAction(0)


def gdbus(*args):
    subprocess.run(['gdbus', 'call', '--session', *args], check=True,
                   stdout=subprocess.DEVNULL, timeout=60)


def main():
    gloss, gen_library, app_id = sys.argv[1:4]
    object_path = '/' + app_id.replace('.', '/')
    root = tempfile.mkdtemp(prefix='gloss-a11y-')
    results = []

    try:
        library = os.path.join(root, 'library')
        subprocess.run([gen_library, library, '3', '--seed', '3'], check=True,
                       stdout=subprocess.DEVNULL)
        clips = sorted(os.listdir(os.path.join(library, 'clips')))
        annotated = None
        for clip in clips:
            with open(os.path.join(library, 'clips', clip, 'clip.json'), encoding='utf-8') as f:
                data = json.load(f)
            if len(data.get('annotations', [])) >= 2:
                annotated = data
                break
        assert annotated is not None, 'the generated library has no clip with highlights'

        # Its live page, here: the clip's address is this server's.
        www = os.path.join(root, 'www')
        os.makedirs(www)
        with open(os.path.join(www, 'page.html'), 'w', encoding='utf-8') as f:
            f.write('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Live</title></head>'
                    '<body><p>The live page of a clip.</p></body></html>')
        server = http.server.ThreadingHTTPServer(
            ('127.0.0.1', 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=www))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        live_url = f'http://127.0.0.1:{server.server_address[1]}/page.html'
        clip_json = os.path.join(library, 'clips', annotated['id'], 'clip.json')
        with open(clip_json, encoding='utf-8') as f:
            data = json.load(f)
        data['url'] = live_url
        with open(clip_json, 'w', encoding='utf-8') as f:
            json.dump(data, f, ensure_ascii=False, indent=2)

        env = dict(os.environ)
        # tests/meson.build turns the accessibility bridge off for the
        # other tests; this one is about it.
        env.pop('NO_AT_BRIDGE', None)
        env.pop('GTK_A11Y', None)
        for name in ('XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME'):
            env[name] = os.path.join(root, name.lower())
            os.makedirs(env[name], exist_ok=True)
        env['GLOSS_LIBRARY'] = library
        env['HOME'] = root

        process = subprocess.Popen([gloss], env=env)
        try:
            app = wait_for('the window in the AT-SPI tree',
                           lambda: (lambda a: a if a is not None and a.childCount > 0 else None)(find_app(process.pid)))

            # The empty window: header bar, library, start page.
            # Built as it is shown: the header bar is complete when its last
            # button is there (and if that one has no name, the check below
            # says so).
            wait_for('the main menu button', lambda: find_named(app, 'Main Menu'), timeout=30, fail=False)
            count, problems = check_buttons(app, 'empty window')
            results.append(('empty window', count, problems))

            # A clip in the reader (opened as the Shell's search would)
            # and its annotations panel.
            gdbus('--dest', app_id, '--object-path', object_path + '/SearchProvider',
                  '--method', 'org.gnome.Shell.SearchProvider2.ActivateResult',
                  annotated['id'], '[]', '0')
            toggle = wait_for('the Annotations button',
                              lambda: (lambda n: n if n is not None and showing(n) else None)(
                                  find_named(app, 'Annotations', BUTTON_ROLES)),
                              timeout=30, fail=False)
            problems = []
            if toggle is None:
                shown = [f'"{n.name}"' for n in walk(app) if n.getRole() in BUTTON_ROLES and showing(n)]
                problems.append('reader: no toggle button named "Annotations" is shown; buttons shown: '
                                + ', '.join(shown))
            else:
                state = toggle.getState()
                if not (state.contains(pyatspi.STATE_CHECKED) or state.contains(pyatspi.STATE_PRESSED)):
                    press(toggle)
                colours = [a['color'] for a in annotated['annotations']]

                def panel_names_colours():
                    names = ' '.join((n.name or '') + ' ' + (n.description or '')
                                     for n in walk(app)).lower()
                    return all(f'{c} highlight' in names for c in colours)

                if not wait_for('the panel to name each highlight\'s colour', panel_names_colours,
                                timeout=30, fail=False):
                    problems.append('annotations panel: not every highlight is named by its colour '
                                    f'(expected {", ".join(c + " highlight" for c in colours)})')
            count, more = check_buttons(app, 'reader with panel')
            results.append(('reader with panel', count, problems + more))

            # The live page of that clip: Open Clip and its menu.
            gdbus('--dest', app_id, '--object-path', object_path,
                  '--method', 'org.freedesktop.Application.Open', f"['{live_url}']", '{}')
            # GTK 4.8 says "visible" of both pages of the Clip / Open Clip
            # stack; Open Clip's action is enabled only on a clipped page.
            def open_clip_enabled():
                node = find_named(app, 'Open Clip', BUTTON_ROLES)
                return node is not None and node.getState().contains(pyatspi.STATE_SENSITIVE)

            shown = wait_for('the Open Clip button', open_clip_enabled, timeout=30, fail=False)
            count, problems = check_buttons(app, 'live page of a clip')
            if shown is None:
                problems.append('live page of a clip: the button named "Open Clip" is not enabled')
            results.append(('live page of a clip', count, problems))

            # The preferences, as the main menu opens them.
            gdbus('--dest', app_id, '--object-path', object_path,
                  '--method', 'org.gtk.Actions.Activate', 'preferences', '[]', '{}')
            wait_for('the preferences window', lambda: find_named(app, 'Choose…', BUTTON_ROLES),
                     timeout=30, fail=False)
            count, problems = check_buttons(app, 'with the preferences')
            results.append(('with the preferences', count, problems))
        finally:
            subprocess.run(['gdbus', 'call', '--session', '--dest', app_id, '--object-path', object_path,
                            '--method', 'org.gtk.Actions.Activate', 'quit', '[]', '{}'],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print(f'1..{len(results)}')
    failed = 0
    for i, (when, count, problems) in enumerate(results, 1):
        if problems or count == 0:
            failed += 1
            print(f'not ok {i} {when}: {count} buttons, {len(problems)} without a spoken name')
            for problem in problems:
                print(f'# {problem}')
        else:
            print(f'ok {i} {when}: {count} buttons, each with a name a person would say')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
