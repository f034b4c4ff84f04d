# merge_fixtures.py: clip.json written as the app writes it (FORMAT.md,
# "Several machines"), for the tests that run the real sync tools.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

import datetime
import json
import os
import subprocess
import uuid

_last = [None]


def now():
    """Now in RFC 3339 UTC with milliseconds, strictly later than the last
    time handed out (two edits in one millisecond are still ordered)."""
    t = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    if _last[0] is not None and t <= _last[0]:
        t = _last[0] + datetime.timedelta(milliseconds=1)
    t = t.replace(microsecond=(t.microsecond // 1000) * 1000)
    if _last[0] is not None and t <= _last[0]:
        t = _last[0] + datetime.timedelta(milliseconds=1)
    _last[0] = t
    return t.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (t.microsecond // 1000)


TEXT = ('It was the best of times, it was the worst of times, it was the age '
        'of wisdom, it was the age of foolishness, it was the epoch of belief.')


def annotation(ann_id, start, end, color='yellow', note=''):
    t = now()
    return {
        'id': ann_id, 'created': t, 'modified': t, 'color': color, 'note': note,
        'target': {'selector': [
            {'type': 'TextQuoteSelector', 'exact': TEXT[start:end],
             'prefix': TEXT[max(0, start - 32):start], 'suffix': TEXT[end:end + 32]},
            {'type': 'TextPositionSelector', 'start': start, 'end': end}]},
    }


def new_clip(clip_id, title, annotations=(), tags=(), note=''):
    t = now()
    clip = {'format': 1, 'id': clip_id, 'url': 'https://example.org/' + clip_id,
            'title': title, 'created': t, 'modified': t, 'tags': list(tags),
            'annotations': sorted(annotations, key=_position)}
    if note:
        clip['note'] = note
    return clip


def _position(a):
    p = [s for s in a['target']['selector'] if s['type'] == 'TextPositionSelector'][0]
    return (p['start'], p['end'], a['id'])


def write_clip(library, clip, with_article=True):
    folder = os.path.join(library, 'clips', clip['id'])
    os.makedirs(folder, exist_ok=True)
    if with_article:
        for name, text in (('article.html', '<p>%s</p>\n' % TEXT), ('article.txt', TEXT)):
            path = os.path.join(folder, name)
            if not os.path.exists(path):
                with open(path, 'w', encoding='utf-8') as f:
                    f.write(text)
    tmp = os.path.join(folder, '.clip.json.tmp')
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(clip, f, indent=2, ensure_ascii=False)
        f.write('\n')
    os.rename(tmp, os.path.join(folder, 'clip.json'))


def read_clip(library, clip_id):
    with open(os.path.join(library, 'clips', clip_id, 'clip.json'), encoding='utf-8') as f:
        return json.load(f)


class Edit:
    """One save of a clip, as the app makes it."""

    def __init__(self, library, clip_id):
        self.library = library
        self.clip = read_clip(library, clip_id)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.clip['modified'] = now()
            write_clip(self.library, self.clip, with_article=False)

    def find(self, ann_id):
        return [a for a in self.clip['annotations'] if a['id'] == ann_id][0]

    def add(self, ann):
        self.clip['annotations'] = sorted(self.clip['annotations'] + [ann], key=_position)

    def delete(self, ann_id):
        a = self.find(ann_id)
        self.clip['annotations'].remove(a)
        self.clip.setdefault('removed', {})[ann_id] = now()

    def recolor(self, ann_id, color):
        a = self.find(ann_id)
        a['color'] = color
        a['modified'] = now()

    def annotation_note(self, ann_id, note):
        a = self.find(ann_id)
        a['note'] = note
        a['modified'] = now()

    def page_note(self, note):
        self.clip['note'] = note
        self.clip.setdefault('changed', {})['note'] = now()

    def title(self, title):
        self.clip['title'] = title
        self.clip.setdefault('changed', {})['title'] = now()

    def add_tag(self, tag):
        self.clip['tags'].append(tag)
        self.clip.setdefault('changed', {})['tags'] = now()

    def remove_tag(self, tag):
        self.clip['tags'] = [t for t in self.clip['tags'] if t.lower() != tag.lower()]
        self.clip.setdefault('changed', {})['tags'] = now()
        self.clip.setdefault('removed_tags', {})[tag.lower()] = now()


def new_id():
    return str(uuid.uuid4())


def gloss(program, *args, env=None, cwd=None, check=True):
    result = subprocess.run([program] + list(args), env=env, cwd=cwd,
                            capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError('%s %s: exit %d\n%s%s' % (program, ' '.join(args), result.returncode,
                                                      result.stdout, result.stderr))
    return result


def conflict_copies(library):
    """The conflict copies in the library, as Gloss sees them: not a sync
    tool's own files. Syncthing keeps the temporary file of a pull that
    failed (".syncthing.clip.sync-conflict-….json.tmp", when the copy it
    pulled was merged and trashed on the other side meanwhile) for a day,
    to reuse its blocks; counted as a copy, it kept a test waiting for a
    copy that Gloss never sees and Syncthing never removes."""
    found = []
    for top, dirs, files in os.walk(os.path.join(library, 'clips')):
        dirs[:] = [d for d in dirs if not is_sync_file(d)]
        for name in files:
            if is_sync_file(name):
                continue
            if ('sync-conflict' in name or 'conflicted copy' in name):
                found.append(os.path.join(top, name))
    return sorted(found)


def is_sync_file(name):
    """A sync tool's own file (what gloss_merge_is_sync_file() says)."""
    return (name in ('.stfolder', '.stversions', '.stignore')
            or (name.startswith('.syncthing.') and name.endswith('.tmp'))
            or (name.startswith('~syncthing~') and name.endswith('.tmp'))
            or (name.startswith('.sync_') and '.db' in name)
            or name.startswith('.~lock.') or name.startswith('.dropbox'))


def tree(library):
    """Every file of the library with its bytes, a sync tool's own files
    (its temporary files, its marker folder) left out."""
    out = {}
    for top, dirs, files in os.walk(library):
        dirs[:] = [d for d in dirs if not is_sync_file(d)]
        for name in files:
            if is_sync_file(name):
                continue
            path = os.path.join(top, name)
            with open(path, 'rb') as f:
                out[os.path.relpath(path, library)] = f.read()
    return out
