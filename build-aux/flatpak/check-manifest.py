#!/usr/bin/python3
# build-aux/flatpak/check-manifest.py MANIFEST PACKAGE-LOCK APP-ID
#
# Checks the Flatpak manifest without fetching anything: it parses, names
# the application id, builds on a GNOME runtime that ships WebKitGTK 6.0
# (org.gnome.Platform 45 or later), asks for no more of the sandbox than
# Gloss needs, and its npm sources are exactly package-lock.json's
# packages, at the same versions and with the same integrity.
#
# The mapping from the lock to a source: the lock (lockfileVersion 3,
# written without "resolved") gives each package's path, version and
# "sha512-<base64>" integrity. Its tarball is the npm registry's
# https://registry.npmjs.org/NAME/-/BASENAME-VERSION.tgz (BASENAME: NAME
# without its @scope/), unpacked by flatpak-builder into the same path
# under node_modules/, and checked by flatpak-builder against "sha512":
# the same digest as the integrity, written in hexadecimal. Where the lock
# has "resolved", the URL must be that.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import json
import re
import sys

# What the app needs: the web (network), a display (Wayland, or X11 where
# there is no Wayland), the GPU for WebKit (dri), and ipc for X11's shared
# memory. The library folder is the app's own data folder, or one the user
# chooses through the file chooser portal: no --filesystem at all.
ALLOWED = {
    '--share=network', '--share=ipc', '--socket=wayland', '--socket=fallback-x11', '--device=dri',
}


def fail(message):
    print(f'not ok: {message}')
    sys.exit(1)


def main():
    manifest_path, lock_path, app_id = sys.argv[1:4]
    with open(manifest_path, encoding='utf-8') as f:
        try:
            manifest = json.load(f)
        except json.JSONDecodeError as e:
            fail(f'{manifest_path} does not parse: {e}')
    with open(lock_path, encoding='utf-8') as f:
        lock = json.load(f)

    # The release id: a .Devel build checks against the id it was made for.
    if manifest.get('id') != app_id.removesuffix('.Devel'):
        fail(f'the manifest names {manifest.get("id")!r}, not {app_id!r}')
    if manifest.get('command') != 'gloss':
        fail('the manifest does not run gloss')
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        fail('not on the GNOME runtime')
    version = str(manifest.get('runtime-version', ''))
    if not re.fullmatch(r'\d+', version) or int(version) < 45:
        fail(f'runtime {version!r}: WebKitGTK 6.0 is in org.gnome.Platform 45 and later')

    args = manifest.get('finish-args', [])
    wider = [a for a in args if a not in ALLOWED]
    if wider:
        fail(f'sandbox permissions wider than Gloss needs: {", ".join(wider)}')
    for needed in ('--share=network', '--socket=wayland', '--socket=fallback-x11', '--device=dri'):
        if needed not in args:
            fail(f'{needed} is missing: Gloss cannot work without it')

    gloss = [m for m in manifest.get('modules', []) if isinstance(m, dict) and m.get('name') == 'gloss']
    if len(gloss) != 1 or gloss[0].get('buildsystem') != 'meson':
        fail('no meson module named gloss')
    sources = [s for s in gloss[0].get('sources', []) if s.get('dest', '').startswith('node_modules/')]

    expected = {}
    for path, package in lock.get('packages', {}).items():
        if not path:
            continue
        if not path.startswith('node_modules/'):
            fail(f'package-lock.json has a package outside node_modules: {path}')
        name = path[len('node_modules/'):]
        algorithm, _, digest = package.get('integrity', '').partition('-')
        if algorithm != 'sha512':
            fail(f'{name}: the lock gives no sha512 integrity')
        url = package.get('resolved') or \
            f'https://registry.npmjs.org/{name}/-/{name.split("/")[-1]}-{package["version"]}.tgz'
        expected[path] = (url, base64.b64decode(digest).hex(), package['version'])

    found = {}
    for source in sources:
        if source.get('type') not in ('archive', 'file'):
            fail(f'{source["dest"]}: an npm package must be a pinned archive or file')
        if source['dest'] in found:
            fail(f'{source["dest"]} comes twice')
        found[source['dest']] = source

    if set(found) != set(expected):
        missing = sorted(set(expected) - set(found))
        extra = sorted(set(found) - set(expected))
        fail(f'npm sources differ from package-lock.json: missing {missing}, not in the lock {extra}')

    for path, (url, sha512, package_version) in sorted(expected.items()):
        source = found[path]
        if source.get('url') != url:
            fail(f'{path}: {source.get("url")} is not {package_version} from the lock ({url})')
        if source.get('sha512') != sha512:
            fail(f'{path}: sha512 {source.get("sha512")} is not the lock\'s integrity ({sha512})')
        print(f'ok: {path} {package_version} sha512 {sha512[:16]}…')

    print(f'ok: {manifest_path} parses, names {manifest["id"]} on org.gnome.Platform {version}, '
          f'{len(expected)} npm sources match package-lock.json')


if __name__ == '__main__':
    main()
