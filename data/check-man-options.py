#!/usr/bin/env python3
# check-man-options.py GLOSS PAGE.scd: every option that `GLOSS --help-all`
# shows (the one table in src/cli/gloss-cli.c) has its entry in the OPTIONS
# section of the man page, and --help sends the reader to gloss(1), not to
# a file of the source tree that is never installed.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import subprocess
import sys

program, page = sys.argv[1], sys.argv[2]

env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='')
env.pop('DISPLAY', None)
env.pop('WAYLAND_DISPLAY', None)
help_text = subprocess.run([program, '--help-all'], env=env, capture_output=True,
                           text=True, check=True, timeout=60).stdout

# "  --export-markdown=DIR   Export …": the option column of GOption's help,
# in the program's own group (not GOption's --help-all and the like).
own = help_text.split('Application Options:', 1)
if len(own) != 2:
    print('not ok: --help-all has no "Application Options:"')
    sys.exit(1)
shown = set(re.findall(r'^\s+(?:-\w, )?(--[a-z][a-z0-9-]*)', own[1], re.M))
if not shown:
    print('not ok: no option found in the output of --help-all')
    sys.exit(1)

with open(page, encoding='utf-8') as f:
    text = f.read()
match = re.search(r'^# OPTIONS\n(.*?)^# ', text, re.M | re.S)
if match is None:
    print('not ok: the man page has no OPTIONS section')
    sys.exit(1)
# "*--search* _QUERY_" or "*-h*, *--help*" at the start of a line.
documented = set(re.findall(r'^(?:\*-\w\*, )?\*(--[a-z][a-z0-9-]*)\*', match.group(1), re.M))

problems = []
for option in sorted(shown - documented):
    problems.append(f'{option} is in --help but not in the OPTIONS of {os.path.basename(page)}')
if 'gloss(1)' not in help_text:
    problems.append('--help does not name the man page gloss(1)')
for mention in re.findall(r'\b(?:docs|data|src)/[\w./-]+', help_text):
    problems.append(f'--help refers to {mention}, which is not installed')

for problem in problems:
    print('not ok:', problem)
if problems:
    sys.exit(1)
print(f'ok: the {len(shown)} options of --help are all in the man page')
