#!/usr/bin/env python3
# test-merge-tools.py: FORMAT.md "Several machines" with git as the tool
# (two clones, gloss --merge-clip as the merge driver, git pull), and with
# Nextcloud's and Dropbox's conflict copies (the names those tools give
# them, written by the test) merged by gloss --merge-conflicts.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-merge-tools.py PATH-TO-GLOSS

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import merge_fixtures as fx  # noqa: E402

GLOSS = os.path.abspath(sys.argv[1])
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print('not ok: ' + what)


def env_for(root, name):
    env = dict(os.environ)
    env.update({
        'HOME': os.path.join(root, name, 'home'),
        'XDG_DATA_HOME': os.path.join(root, name, 'data'),
        'XDG_STATE_HOME': os.path.join(root, name, 'state'),
        'XDG_CACHE_HOME': os.path.join(root, name, 'cache'),
        'XDG_CONFIG_HOME': os.path.join(root, name, 'config'),
        'GIT_CONFIG_NOSYSTEM': '1',
        'GIT_AUTHOR_NAME': name, 'GIT_AUTHOR_EMAIL': name + '@example.org',
        'GIT_COMMITTER_NAME': name, 'GIT_COMMITTER_EMAIL': name + '@example.org',
        'GSETTINGS_BACKEND': 'memory',
    })
    env.pop('GLOSS_LIBRARY', None)
    for key in ('HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME'):
        os.makedirs(env[key], exist_ok=True)
    return env


def git(cwd, env, *args):
    result = subprocess.run(['git'] + list(args), cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=120)
    if result.returncode != 0:
        raise AssertionError('git %s: %s%s' % (' '.join(args), result.stdout, result.stderr))
    return result.stdout


def test_git(root):
    env_a = env_for(root, 'ada')
    env_b = env_for(root, 'bob')
    lib_a = os.path.join(root, 'ada', 'library')
    lib_b = os.path.join(root, 'bob', 'library')

    # One library with two clips, in git with the driver registered.
    k1, k2, k3 = fx.new_id(), fx.new_id(), fx.new_id()
    c1 = fx.new_clip('c1', 'First', [fx.annotation(k1, 0, 10), fx.annotation(k2, 20, 30, 'blue')],
                     tags=['keep', 'old'])
    c2 = fx.new_clip('c2', 'Second', [fx.annotation(k3, 40, 50)])
    os.makedirs(lib_a)
    fx.write_clip(lib_a, c1)
    fx.write_clip(lib_a, c2)
    with open(os.path.join(lib_a, '.gitattributes'), 'w') as f:
        f.write('clip.json merge=gloss\n')
    git(lib_a, env_a, 'init', '-q', '-b', 'main')
    git(lib_a, env_a, 'config', 'merge.gloss.driver', GLOSS + ' --merge-clip %O %A %B')
    git(lib_a, env_a, 'add', '-A')
    git(lib_a, env_a, 'commit', '-q', '-m', 'library')
    git(root, env_b, 'clone', '-q', lib_a, lib_b)
    git(lib_b, env_b, 'config', 'merge.gloss.driver', GLOSS + ' --merge-clip %O %A %B')
    git(lib_b, env_b, 'config', 'pull.rebase', 'false')

    # Bob, at the same time (a little earlier, so that Ada's removal of a
    # tag is later than Bob's change of the tags: FORMAT.md's tag rule):
    # recolours k2, adds a highlight and a tag, changes the title.
    added_b = fx.new_id()
    with fx.Edit(lib_b, 'c1') as e:
        e.recolor(k2, 'pink')
        e.add(fx.annotation(added_b, 80, 90, 'purple'))
        e.add_tag('bob')
        e.title('Bob’s title')
    with fx.Edit(lib_b, 'c2') as e:
        e.add_tag('unrelated')
    git(lib_b, env_b, 'commit', '-q', '-am', 'bob')

    # Ada: deletes k1, adds a highlight, writes a page note, removes a tag.
    added_a = fx.new_id()
    with fx.Edit(lib_a, 'c1') as e:
        e.delete(k1)
        e.add(fx.annotation(added_a, 60, 70, 'green'))
        e.page_note('Ada was here')
        e.remove_tag('old')
    # An older Gloss (or a text editor) on Ada's side: a highlight deleted
    # without a "removed" entry. The base tells the driver.
    c2_now = fx.read_clip(lib_a, 'c2')
    c2_now['annotations'] = []
    c2_now['modified'] = fx.now()
    fx.write_clip(lib_a, c2_now, with_article=False)
    git(lib_a, env_a, 'commit', '-q', '-am', 'ada')

    # Bob pulls: git merges clip.json with gloss --merge-clip.
    pull = subprocess.run(['git', 'pull', '-q', 'origin', 'main'], cwd=lib_b, env=env_b,
                          capture_output=True, text=True, timeout=120)
    check(pull.returncode == 0, 'git pull merges without a conflict: ' + pull.stdout + pull.stderr)
    status = git(lib_b, env_b, 'status', '--porcelain')
    check(status.strip() == '', 'nothing left unmerged after git pull: ' + status)

    m = fx.read_clip(lib_b, 'c1')
    ids = [a['id'] for a in m['annotations']]
    check(k1 not in ids, 'the highlight Ada deleted is gone')
    check(k1 in m.get('removed', {}), 'its deletion is kept in "removed"')
    check(added_a in ids and added_b in ids, 'both new highlights are there')
    check([a for a in m['annotations'] if a['id'] == k2][0]['color'] == 'pink', 'Bob’s colour is kept')
    check(m.get('note') == 'Ada was here', 'Ada’s page note is kept')
    check(m['title'] == 'Bob’s title', 'Bob’s title is kept')
    check(sorted(t.lower() for t in m['tags']) == ['bob', 'keep'], 'tags: %r' % m['tags'])
    starts = [[s for s in a['target']['selector'] if s['type'] == 'TextPositionSelector'][0]['start']
              for a in m['annotations']]
    check(starts == sorted(starts), 'annotations in document order')
    m2 = fx.read_clip(lib_b, 'c2')
    check(m2['annotations'] == [], 'a deletion by a version without "removed" is not undone')
    check('unrelated' in m2['tags'], 'and Bob’s tag on that clip is kept')

    # The library the merge made is one the app reads with nothing wrong.
    verify = fx.gloss(GLOSS, '--library', lib_b, '--verify', env=env_b, check=False)
    check('conflict' not in verify.stdout and 'damaged' not in verify.stdout,
          'gloss --verify after the merge: ' + verify.stdout)

    # Ada pulls Bob's merge: a fast-forward, the same bytes on both.
    git(lib_b, env_b, 'push', '-q', 'origin', 'HEAD:refs/heads/bob')
    git(lib_a, env_a, 'merge', '-q', 'bob')
    for clip_id in ('c1', 'c2'):
        with open(os.path.join(lib_a, 'clips', clip_id, 'clip.json'), 'rb') as f:
            a_bytes = f.read()
        with open(os.path.join(lib_b, 'clips', clip_id, 'clip.json'), 'rb') as f:
            b_bytes = f.read()
        check(a_bytes == b_bytes, clip_id + ' is the same on both clones')

    # A file that is not a clip: the driver fails, writes nothing, and git
    # reports a conflict instead of losing anything.
    base = os.path.join(root, 'base.json')
    ours = os.path.join(root, 'ours.json')
    theirs = os.path.join(root, 'theirs.json')
    with open(base, 'w') as f:
        f.write('')
    with open(ours, 'w') as f:
        f.write('<<<<<<< not json')
    shutil.copy(os.path.join(lib_b, 'clips', 'c1', 'clip.json'), theirs)
    bad = fx.gloss(GLOSS, '--merge-clip', base, ours, theirs, env=env_b, check=False)
    check(bad.returncode != 0 and bad.stderr.strip() != '', 'a damaged side fails with a message')
    with open(ours) as f:
        check(f.read() == '<<<<<<< not json', 'and nothing is written')
    missing = fx.gloss(GLOSS, '--merge-clip', base, os.path.join(root, 'nope.json'), theirs,
                       env=env_b, check=False)
    check(missing.returncode != 0 and 'nope.json' in missing.stderr, 'a missing file fails with its name')
    # An empty base (added on both sides) merges two ways.
    shutil.copy(os.path.join(lib_a, 'clips', 'c2', 'clip.json'), ours)
    ok = fx.gloss(GLOSS, '--merge-clip', base, ours, theirs, env=env_b, check=False)
    check(ok.returncode != 0, 'two different clips are not merged')


def test_nextcloud_dropbox(root):
    env = env_for(root, 'carol')
    lib = os.path.join(root, 'carol', 'library')
    k1, k2 = fx.new_id(), fx.new_id()
    fx.write_clip(lib, fx.new_clip('c1', 'One', [fx.annotation(k1, 0, 10), fx.annotation(k2, 20, 30)]))
    base = fx.read_clip(lib, 'c1')

    # Nextcloud's copy: this machine recoloured k1; Dropbox's copy: another
    # deleted k2 and tagged the clip; clip.json itself got a page note.
    nc = json.loads(json.dumps(base))
    nc_edit = fx.Edit(lib, 'c1')
    nc_edit.clip = nc
    nc_edit.recolor(k1, 'green')
    nc['modified'] = fx.now()
    db = json.loads(json.dumps(base))
    db_edit = fx.Edit(lib, 'c1')
    db_edit.clip = db
    db_edit.delete(k2)
    db_edit.add_tag('dropbox')
    db['modified'] = fx.now()
    with fx.Edit(lib, 'c1') as e:
        e.page_note('kept')
    folder = os.path.join(lib, 'clips', 'c1')
    names = {
        'clip (conflicted copy 2026-11-29 223802).json': nc,
        'clip (Ada\'s conflicted copy 2026-11-29).json': db,
    }
    for name, clip in names.items():
        with open(os.path.join(folder, name), 'w') as f:
            json.dump(clip, f)
    with open(os.path.join(folder, 'article (conflicted copy 2026-11-29 223802).txt'), 'w') as f:
        f.write('an older article text')
    # Sync tools' own files, never reported or listed.
    os.makedirs(os.path.join(lib, 'clips', '.stfolder'), exist_ok=True)
    for name in ('~syncthing~x.tmp', '.syncthing.clip.json.tmp', '.sync_0a1b2c.db', '.sync_0a1b2c.db-wal',
                 '.~lock.clip.json#', '.dropbox.cache'):
        with open(os.path.join(lib, 'clips', name), 'w') as f:
            f.write('x')

    verify = fx.gloss(GLOSS, '--library', lib, '--verify', env=env, check=False)
    check(verify.stdout.count('is not merged yet') == 3, '--verify reports the three copies: ' + verify.stdout)
    for name in ('~syncthing~', '.syncthing', '.sync_', '.~lock', '.dropbox'):
        check(name not in verify.stdout, '--verify leaves %s alone' % name)
    listed = fx.gloss(GLOSS, '--library', lib, '--list', '--json', env=env)
    check(len(json.loads(listed.stdout)) == 1, '--list shows the one clip')

    merged = fx.gloss(GLOSS, '--library', lib, '--merge-conflicts', env=env)
    check('Merged 3 conflict copies into 1 clip.' in merged.stdout, merged.stdout)
    check(fx.conflict_copies(lib) == [], 'no copy left')
    m = fx.read_clip(lib, 'c1')
    check([a['id'] for a in m['annotations']] == [k1], 'k2 deleted, k1 kept')
    check(m['annotations'][0]['color'] == 'green', 'k1 recoloured')
    check(m['tags'] == ['dropbox'] and m.get('note') == 'kept', 'tag and page note kept')
    trash = os.path.join(env['XDG_DATA_HOME'], 'Trash', 'files')
    check(len(os.listdir(trash)) == 3, 'the copies are in the trash: %r' % os.listdir(trash))

    again = fx.gloss(GLOSS, '--library', lib, '--merge-conflicts', env=env)
    check('No conflict copies to merge.' in again.stdout, again.stdout)
    verify = fx.gloss(GLOSS, '--library', lib, '--verify', env=env, check=False)
    check('not merged yet' not in verify.stdout, verify.stdout)


def main():
    root = tempfile.mkdtemp(prefix='gloss-merge-tools-')
    try:
        test_git(os.path.join(root, 'git'))
        test_nextcloud_dropbox(os.path.join(root, 'nc'))
    finally:
        if not os.environ.get('GLOSS_TEST_KEEP'):
            shutil.rmtree(root, ignore_errors=True)
        else:
            print('kept ' + root)
    if failures:
        print('%d checks failed' % len(failures))
        return 1
    print('all checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
